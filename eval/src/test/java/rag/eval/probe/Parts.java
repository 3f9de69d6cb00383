package rag.eval.probe;

import rag.eval.niah.HaystackBuilder;
import rag.eval.niah.HaystackSources;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.query.profile.ModelProfile;
import rag.storage.embed.Embedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.embed.TokenCounter;

/** The real parts the probes are tested with: the service's chunker and token counter, the small MiniLM model. */
public final class Parts {
  public static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();
  /** Haystack documents of about 4K tokens, as the service indexes them. */
  static final int DOCUMENT_TOKENS = 4096;
  private static OnnxEmbedder embedder;

  private Parts() {}

  /** all-MiniLM-L6-v2 (quantized), loaded once per test JVM. */
  public static synchronized Embedder embedder() {
    if (embedder == null) {
      embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q, 2);
    }
    return embedder;
  }

  static ProbeParts probeParts() {
    return new ProbeParts(embedder(), Chunkers.byFormat(ChunkingConfig.DEFAULT, COUNTER), COUNTER, null);
  }

  /** The shipped default haystack (Moby-Dick) in documents of {@link #DOCUMENT_TOKENS}. */
  static HaystackBuilder mobyDick() {
    return new HaystackBuilder(HaystackSources.DEFAULT_NAME, HaystackSources.defaultHaystack(), COUNTER,
        DOCUMENT_TOKENS);
  }

  static ModelProfile profile(String name, long window, long retrievalBudget) {
    return new ModelProfile(name, null, null, null, window, 1_000, "cl100k_base", null, null, retrievalBudget);
  }
}
