package rag.storage.embed;

import java.util.List;

/**
 * Text to vectors, shared by ingest (chunks) and query (questions) so both use the same model.
 * The vector index's dimension is {@link #dimension()}.
 */
public interface Embedder {
  /** One vector per text, in order; each of length {@link #dimension()}. */
  List<float[]> embed(List<String> texts);

  /** Embeds a question for retrieval; models trained with a query instruction add it here. */
  default float[] embedQuery(String question) {
    return embed(List.of(question)).get(0);
  }

  int dimension();

  /** A stable name of the model, stored with the vector index. */
  String modelName();
}
