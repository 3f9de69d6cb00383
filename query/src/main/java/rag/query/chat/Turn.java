package rag.query.chat;

import java.time.Instant;
import java.util.List;
import rag.query.cite.Citation;

/**
 * One message of a conversation. For the user, {@code standalone} is the question as it was
 * retrieved with (rewritten from a follow-up); for the assistant, the answer's kind and citations.
 */
public record Turn(String role, String text, String standalone, String answerKind, List<Citation> citations,
    Instant at) {
  public Turn {
    citations = citations == null ? List.of() : List.copyOf(citations);
  }

  public static Turn user(String text, String standalone) {
    return new Turn("user", text, standalone, null, List.of(), Instant.now());
  }

  public static Turn assistant(String text, String answerKind, List<Citation> citations) {
    return new Turn("assistant", text, null, answerKind, citations, Instant.now());
  }

  public boolean isUser() {
    return "user".equals(role);
  }
}
