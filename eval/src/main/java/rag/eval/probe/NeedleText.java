package rag.eval.probe;

/**
 * Finds a needle's text in text that went through chunking and prompt assembly, where runs of whitespace may have
 * changed (a line break for a space): when the plain text is not found, both sides are compared with every run of
 * whitespace as one space.
 */
final class NeedleText {
  private NeedleText() {}

  static boolean contains(String text, String needle) {
    return text.contains(needle) || squeezed(text).contains(squeezed(needle));
  }

  static String squeezed(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
