package rag.query.generate;

import java.util.Objects;

/** One chat message of a prompt. */
public record PromptMessage(Role role, PromptText content) {

  public PromptMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static PromptMessage system(String text) {
    return new PromptMessage(Role.SYSTEM, PromptText.of(text));
  }

  public static PromptMessage user(String text) {
    return new PromptMessage(Role.USER, PromptText.of(text));
  }

  public static PromptMessage user(PromptText text) {
    return new PromptMessage(Role.USER, text);
  }

  public static PromptMessage assistant(String text) {
    return new PromptMessage(Role.ASSISTANT, PromptText.of(text));
  }
}
