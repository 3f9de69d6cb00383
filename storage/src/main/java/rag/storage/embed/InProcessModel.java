package rag.storage.embed;

import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.util.Arrays;

/** The ONNX embedding models shipped inside LangChain4j's model jars (quantized, CPU). */
public enum InProcessModel {
  /** The default: better retrieval quality. Questions get bge's retrieval instruction as a prefix. */
  BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json",
      PoolingMode.CLS, 384, "Represent this sentence for searching relevant passages: "),
  /** About four times faster on CPU, somewhat weaker retrieval. */
  ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
      PoolingMode.MEAN, 384, "");

  private final String id;
  final String modelResource;
  final String tokenizerResource;
  final PoolingMode pooling;
  private final int dimension;
  private final String queryPrefix;

  InProcessModel(String id, String modelResource, String tokenizerResource, PoolingMode pooling, int dimension,
      String queryPrefix) {
    this.id = id;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
    this.dimension = dimension;
    this.queryPrefix = queryPrefix;
  }

  public String id() {
    return id;
  }

  public int dimension() {
    return dimension;
  }

  public String queryPrefix() {
    return queryPrefix;
  }

  public static InProcessModel byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equalsIgnoreCase(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown in-process embedding model '" + id + "', known: "
            + Arrays.stream(values()).map(InProcessModel::id).toList()));
  }
}
