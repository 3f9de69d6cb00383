package rag.query.generate;

/**
 * Receives an answer's tokens as the model server streams them, in order, one call at a time,
 * possibly on a thread other than the caller's. An exception thrown here ends the generation and
 * is rethrown by {@link ModelClient#generate}.
 */
@FunctionalInterface
public interface TokenSink {

  void onToken(String token);
}
