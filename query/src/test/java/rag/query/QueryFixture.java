package rag.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rag.query.plan.Planner;
import rag.query.plan.PlannerSettings;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.HybridRetriever;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.vector.EmbeddedChunk;

/** A small real archive (SQLite catalog, Lucene BM25 and HNSW) with documents of each kind of provenance. */
public final class QueryFixture {
  public static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();
  public static final String COLLECTION = "library";

  private static OnnxEmbedder embedder;

  private QueryFixture() {}

  /** The real all-MiniLM-L6-v2 model, loaded once per test JVM. */
  public static synchronized Embedder embedder() {
    if (embedder == null) {
      embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
    }
    return embedder;
  }

  public static Archive open(Path dir, Embedder embedder) {
    return ArchiveFactory.open(StorageConfig.embedded(dir), embedder.dimension(), embedder.modelName());
  }

  /** A chunk with real token counts; {@code overlap} leading characters repeat the previous chunk. */
  public static Chunk chunk(int ordinal, String text, Provenance provenance, int overlap) {
    int overlapTokens = overlap == 0 ? 0 : COUNTER.count(text) - COUNTER.count(text.substring(overlap));
    return Chunk.draft(ordinal, text, COUNTER.count(text), provenance, overlap, Math.max(0, overlapTokens));
  }

  public static Document write(Archive archive, String path, String mediaType, String title, Integer pages,
      List<Chunk> chunks, Embedder embedder) {
    Document doc = archive.write(Document.draft(COLLECTION, path, mediaType, "sha-" + path, 1000, title, "en", pages,
        Map.of()), chunks);
    if (embedder != null) {
      List<Chunk> stored = archive.reader().chunks(doc.id());
      List<float[]> vectors = embedder.embed(stored.stream().map(Chunk::text).toList());
      List<EmbeddedChunk> embedded = new ArrayList<>();
      for (int i = 0; i < stored.size(); i++) {
        embedded.add(new EmbeddedChunk(stored.get(i), vectors.get(i)));
      }
      archive.addVectors(doc, embedded);
    }
    return archive.reader().find(doc.id()).orElseThrow();
  }

  /** Three documents: a two-page PDF, a transcript and a Java file. */
  public static List<Document> library(Archive archive, Embedder embedder) {
    String page1 = "The lighthouse at Point Reyes was built in 1870. Its lens came from France.";
    String page2 = "Fog covers the headland for many days each summer. Keepers wound the clockwork every two hours.";
    Document pdf = write(archive, "history/lighthouse.pdf", "application/pdf", "The Point Reyes Light", 2, List.of(
        chunk(0, page1, Provenance.pages(1, 1), 0),
        chunk(1, "Its lens came from France. " + page2, Provenance.pages(1, 2), "Its lens came from France. ".length())),
        embedder);
    Document vtt = write(archive, "talks/keeper.vtt", "text/vtt", "Interview with a keeper", null, List.of(
        chunk(0, "ALICE: We trimmed the wicks at dusk.\nBOB: The foghorn sounded every thirty seconds.",
            Provenance.times(1_000, 9_500, null), 0)), embedder);
    Document code = write(archive, "src/Lamp.java", "text/x-java-source", null, null, List.of(
        chunk(0, "class Lamp {\n  int rotationSeconds() {\n    return 5;\n  }\n}", Provenance.lines(1, 5, "Lamp"), 0)),
        embedder);
    return List.of(pdf, vtt, code);
  }

  public static ModelProfile profile(long window, int reserve, long retrievalBudget) {
    return ModelProfile.builder("test").contextWindow(window).answerReserve(reserve).retrievalBudget(retrievalBudget)
        .build();
  }

  public static Planner planner(Archive archive, Embedder embedder, PlannerSettings settings) {
    return Planner.builder(archive.reader(), COUNTER).retriever(new HybridRetriever(archive, embedder, 60, 0.9))
        .settings(settings).build();
  }
}
