package rag.query.generate;

import java.io.IOException;

/**
 * A large prompt text written out piece by piece and never held whole: documents of lines that
 * need JSON escaping (quotes, backslashes, tabs, control characters, non-ASCII, surrogate pairs
 * split across appends). {@link #asString()} fails, so a client that materialises it is caught.
 */
record GeneratedCorpus(int documents, int charsPerDocument) implements PromptText {

  private static final String LINE = "Tide table \"spring\" \\ neap\tcoefficient é ü ∑ ";

  @Override
  public void writeTo(Appendable out) throws IOException {
    StringBuilder line = new StringBuilder(128);
    for (int d = 0; d < documents; d++) {
      out.append("<document id=\"doc-").append(Integer.toString(d)).append("\" source=\"tides-").append(Integer.toString(d))
          .append(".pdf\">\n");
      int written = 0;
      for (int n = 0; written < charsPerDocument; n++) {
        line.setLength(0);
        line.append(LINE).append(d).append('.').append(n).append('\u0001');
        out.append(line);
        out.append('\uD83C'); // 🌊, its surrogates in two appends
        out.append('\uDF0A');
        out.append('\n');
        written += line.length() + 3;
      }
      out.append("</document>\n");
    }
  }

  @Override
  public String asString() {
    throw new AssertionError("a generated corpus must be streamed, not materialised");
  }
}
