package rag.query;

import rag.query.generate.TokenSink;

/** Receives an answer as it is made: its tokens, and each step a routed answer moves on from. */
@FunctionalInterface
public interface AnswerSink extends TokenSink {

  /** A routed answer's step ended without an answer: the next step starts. Its tokens were not streamed. */
  default void onEscalation(RoutedStep step) {}
}
