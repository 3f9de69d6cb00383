package rag.query.generate;

import java.util.OptionalLong;

/** Asks a model server how long a context it serves the model with, when it says (vLLM's {@code max_model_len}). */
public interface ServedWindowClient {
  /** Empty when the server does not say, or cannot be asked now. */
  OptionalLong servedWindow(ModelEndpoint endpoint);
}
