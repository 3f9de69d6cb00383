package rag.query.generate;

import java.util.List;

/**
 * Sends prompts up to a size in chars through one client and larger ones, or ones whose size is not
 * known without writing them out, through another: by default {@link LangChainModelClient} and
 * {@link StreamingRequestModelClient}.
 */
public final class RoutingModelClient implements ModelClient {

  /** About a million tokens: above this a prompt is not copied into request Strings. */
  public static final long DEFAULT_LARGE_PROMPT_CHARS = 4_000_000;

  private final ModelClient regular;
  private final ModelClient largePrompts;
  private final long largePromptChars;

  public RoutingModelClient(ModelClient regular, ModelClient largePrompts, long largePromptChars) {
    if (largePromptChars < 0) {
      throw new IllegalArgumentException("illegal large-prompt threshold " + largePromptChars
          + " chars, must be at least 0");
    }
    this.regular = regular;
    this.largePrompts = largePrompts;
    this.largePromptChars = largePromptChars;
  }

  public static RoutingModelClient withDefaults() {
    return withThreshold(DEFAULT_LARGE_PROMPT_CHARS);
  }

  public static RoutingModelClient withThreshold(long largePromptChars) {
    return new RoutingModelClient(new LangChainModelClient(), new StreamingRequestModelClient(), largePromptChars);
  }

  @Override
  public Generation generate(ModelEndpoint endpoint, List<PromptMessage> messages, TokenSink sink) {
    return clientFor(messages).generate(endpoint, messages, sink);
  }

  ModelClient clientFor(List<PromptMessage> messages) {
    long chars = 0;
    for (PromptMessage message : messages) {
      long length = message.content().length();
      if (length < 0) {
        return largePrompts;
      }
      chars += length;
    }
    return chars > largePromptChars ? largePrompts : regular;
  }
}
