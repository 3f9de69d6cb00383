package rag.eval.beir;

import java.util.Objects;

/** One query: {@code _id} and {@code text}. */
public record BeirQuery(String id, String text) {
  public BeirQuery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
