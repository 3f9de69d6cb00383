package rag.query.generate;

import java.util.Locale;

/** Who speaks a chat message. */
public enum Role {
  SYSTEM, USER, ASSISTANT;

  /** The role as the OpenAI chat protocol spells it: {@code system}, {@code user}, {@code assistant}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
