package rag.query.generate;

import java.util.OptionalInt;

/** Counts tokens with a model server's own tokenizer, to calibrate local counts, when it has one. */
public interface TokenizeClient {

  /**
   * The number of tokens the server's tokenizer makes of {@code text} (no special tokens added), or
   * empty when the server offers no tokenizer or could not be asked.
   */
  OptionalInt countTokens(ModelEndpoint endpoint, String text);
}
