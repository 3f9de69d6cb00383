package rag.query.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Prompt text that can be written out without being materialised, e.g. a stuffed corpus of
 * millions of tokens read document by document. {@link #writeTo} may be called more than once and
 * must write the same text each time.
 */
public interface PromptText {

  /** Appends the whole text to {@code out}, in pieces of any size. */
  void writeTo(Appendable out) throws IOException;

  /** The text's length in chars, or -1 when it is not known without writing the text out. */
  default long length() {
    return -1;
  }

  /** The text as one String; for small texts only. */
  default String asString() {
    long length = length();
    StringBuilder text = new StringBuilder(length >= 0 && length < Integer.MAX_VALUE - 8 ? (int) length : 1024);
    try {
      writeTo(text);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write out prompt text: " + e.getMessage(), e);
    }
    return text.toString();
  }

  static PromptText of(String text) {
    return new Literal(text);
  }

  /** A text already in memory. */
  record Literal(String text) implements PromptText {

    public Literal {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public void writeTo(Appendable out) throws IOException {
      out.append(text);
    }

    @Override
    public long length() {
      return text.length();
    }

    @Override
    public String asString() {
      return text;
    }
  }
}
