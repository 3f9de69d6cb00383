package rag.query.assemble;

import java.io.IOException;
import rag.query.generate.PromptMessage;
import rag.storage.embed.HuggingFaceTokenCounter;
import rag.storage.embed.TokenCounters;

/** The independent side of exact-count tests: a prompt rendered whole as Qwen's chat template does, counted at once. */
public final class RenderedChatMl {
  private static final HuggingFaceTokenCounter QWEN3 = (HuggingFaceTokenCounter) TokenCounters.named("qwen3");

  private RenderedChatMl() {}

  public static long qwen3Tokens(AssembledPrompt prompt) throws IOException {
    StringBuilder text = new StringBuilder();
    for (PromptMessage m : prompt.messages()) {
      text.append("<|im_start|>").append(m.role().wireName()).append('\n');
      m.content().writeTo(text);
      text.append("<|im_end|>\n");
    }
    text.append("<|im_start|>assistant\n");
    return QWEN3.ids(text.toString()).length;
  }
}
