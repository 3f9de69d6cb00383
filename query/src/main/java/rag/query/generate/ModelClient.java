package rag.query.generate;

import java.util.List;

/** Asks a model served over the OpenAI chat completions protocol for an answer, streamed. */
public interface ModelClient {

  /**
   * Sends {@code messages} to {@code endpoint} and blocks until the answer is complete, delivering
   * its tokens to {@code sink} as they arrive. Returns or throws within about
   * {@link ModelEndpoint#timeout()}; after that no new token reaches the sink.
   *
   * @throws ModelException when the server is unavailable, refuses the prompt, times out or sends
   *     something that is not an answer
   * @throws java.io.UncheckedIOException when a message's {@link PromptText} cannot be written out
   * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
   *     (its interrupt flag is set again)
   */
  Generation generate(ModelEndpoint endpoint, List<PromptMessage> messages, TokenSink sink) throws ModelException;
}
