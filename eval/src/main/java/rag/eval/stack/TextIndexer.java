package rag.eval.stack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import rag.ingest.chunk.Chunker;
import rag.ingest.parse.Format;
import rag.ingest.parse.MetadataKeys;
import rag.ingest.parse.ParsedDocument;
import rag.ingest.parse.Section;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.Document;
import rag.storage.vector.EmbeddedChunk;

/**
 * Writes plain texts into an archive as ingest would: each text is one document (a plain-text section), cut by
 * the service's chunker, published atomically ({@link Archive#write}, which replaces the document at the same
 * source path), then, when there is an embedder, embedded and given its vectors. {@link #writeAll} embeds the
 * chunks of many documents in shared batches, so the embedder's threads stay busy on small documents.
 */
public final class TextIndexer {
  /** Chunk texts per call to the embedder. */
  static final int EMBED_BATCH = 256;

  private final Archive archive;
  private final Chunker chunker;
  private final Embedder embedder;
  private final String collection;
  private final boolean embedContext;

  /** @param embedder null for BM25 only (no vectors) */
  public TextIndexer(Archive archive, Chunker chunker, Embedder embedder, String collection) {
    this(archive, chunker, embedder, collection, false);
  }

  /**
   * @param embedContext whether the embedder reads each chunk after its header ({@link ChunkContext}), as ingest does
   *     with {@code rag.index.embed-context} (off by default)
   */
  public TextIndexer(Archive archive, Chunker chunker, Embedder embedder, String collection, boolean embedContext) {
    this.embedContext = embedContext;
    this.archive = Objects.requireNonNull(archive, "archive");
    this.chunker = Objects.requireNonNull(chunker, "chunker");
    this.embedder = embedder;
    this.collection = Objects.requireNonNull(collection, "collection");
  }

  /** A text to write: its source path (the document's identity in the collection), title and body. */
  public record TextDocument(String sourcePath, String title, String text) {
    public TextDocument {
      Objects.requireNonNull(sourcePath, "sourcePath");
      Objects.requireNonNull(text, "text");
    }
  }

  public String collection() {
    return collection;
  }

  public boolean embeds() {
    return embedder != null;
  }

  public Document write(TextDocument text) {
    return writeAll(List.of(text)).get(0);
  }

  /** Writes the texts in order; returns the published documents in the same order. */
  public List<Document> writeAll(List<TextDocument> texts) {
    List<Document> written = new ArrayList<>(texts.size());
    List<List<Chunk>> chunks = new ArrayList<>(texts.size());
    for (TextDocument text : texts) {
      List<Chunk> drafts = chunker.chunk(parsed(text));
      Document document = archive.write(draft(text), drafts);
      written.add(document);
      chunks.add(drafts.stream().map(c -> c.withVersion(document.id(), document.version())).toList());
    }
    if (embedder != null) {
      addVectors(written, chunks);
    }
    return written;
  }

  private void addVectors(List<Document> documents, List<List<Chunk>> chunks) {
    List<String> all = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      Document document = documents.get(d);
      chunks.get(d).forEach(c -> all.add(embedContext ? ChunkContext.forEmbedding(document, c) : c.text()));
    }
    List<float[]> vectors = new ArrayList<>(all.size());
    for (int from = 0; from < all.size(); from += EMBED_BATCH) {
      vectors.addAll(embedder.embed(all.subList(from, Math.min(all.size(), from + EMBED_BATCH))));
    }
    int next = 0;
    for (int d = 0; d < documents.size(); d++) {
      List<EmbeddedChunk> embedded = new ArrayList<>(chunks.get(d).size());
      for (Chunk chunk : chunks.get(d)) {
        embedded.add(new EmbeddedChunk(chunk, vectors.get(next++)));
      }
      if (!embedded.isEmpty()) {
        archive.addVectors(documents.get(d), embedded);
      }
    }
  }

  private Document draft(TextDocument text) {
    byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
    return Document.draft(collection, text.sourcePath(), "text/plain", sha256(bytes), bytes.length, text.title(), "en",
        null, Map.of());
  }

  private static ParsedDocument parsed(TextDocument text) {
    return new ParsedDocument("text/plain", text.title(), null, "en", null, List.of(new Section(text.text(), null)),
        Map.of(MetadataKeys.FORMAT, Format.DOCUMENT.name()), List.of());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
