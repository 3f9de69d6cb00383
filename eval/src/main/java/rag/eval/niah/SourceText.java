package rag.eval.niah;

import java.util.Objects;

/** One text a haystack is made of, for example one file of the haystack folder. */
public record SourceText(String name, String text) {
  public SourceText {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }
}
