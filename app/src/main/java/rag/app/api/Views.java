package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import rag.storage.model.Chunk;
import rag.storage.model.CollectionStats;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.vector.CollectionVectors;

/** The JSON shapes of the API, kept apart from the storage records so both can change independently. */
public final class Views {
  private Views() {}

  public record CollectionView(String name, long documents, long chunks, long tokens, VectorsView vectors) {
    static CollectionView of(CollectionStats s, CollectionVectors v) {
      return new CollectionView(s.name(), s.documentCount(), s.chunkCount(), s.tokenCount(), VectorsView.of(v));
    }
  }

  /**
   * The vectors a collection's kNN searches: their {@code model} and {@code dimension} (null while it has none), and
   * whether it needs re-indexing because the service now embeds with {@code configuredModel}; until then questions
   * over it are answered from BM25 alone.
   */
  public record VectorsView(String model, Integer dimension, boolean needsReindex, String configuredModel,
      int configuredDimension) {
    static VectorsView of(CollectionVectors v) {
      return new VectorsView(v.searched() == null ? null : v.searched().model(),
          v.searched() == null ? null : v.searched().dimension(), v.needsReindex(), v.current().model(),
          v.current().dimension());
    }
  }

  public record DocumentView(String id, String collection, int version, String sourceName, String sourcePath,
      String mediaType, String sha256, long sizeBytes, String title, String language, Integer pageCount,
      long tokenCount, int chunkCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Vectors stored for this version (one per chunk once embedded); in the single document's"
          + " view only") Long vectorCount,
      String status, String error, Instant createdAt, Instant updatedAt, Map<String, String> metadata) {
    static DocumentView of(Document d) {
      return of(d, null);
    }

    static DocumentView of(Document d, Long vectorCount) {
      return new DocumentView(d.id(), d.collection(), d.version(), d.sourceName(), d.sourcePath(), d.mediaType(),
          d.sha256(), d.sizeBytes(), d.title(), d.language(), d.pageCount(), d.tokenCount(), d.chunkCount(),
          vectorCount, d.status().wireName(), d.error(), d.createdAt(), d.updatedAt(), d.metadata());
    }
  }

  public record ChunkView(String id, String documentId, int ordinal, String text, int tokenCount, Integer page,
      Integer pageEnd, Integer lineStart, Integer lineEnd, Long startMs, Long endMs, String speaker, String section) {
    static ChunkView of(Chunk c) {
      Provenance p = c.provenance();
      return new ChunkView(c.id(), c.documentId(), c.ordinal(), c.text(), c.tokenCount(), p.pageStart(),
          p.pageEnd(), p.lineStart(), p.lineEnd(), p.startMs(), p.endMs(), p.speaker(), p.section());
    }
  }

  public record DocumentPage(String collection, int offset, int limit, long total, List<DocumentView> documents) {}

  public record NewCollection(String name) {}
}
