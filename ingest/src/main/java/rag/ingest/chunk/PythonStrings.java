package rag.ingest.chunk;

import java.util.List;

/** Which lines of a Python file lie inside a triple-quoted string (their indentation means nothing). */
final class PythonStrings {
  private PythonStrings() {}

  /** {@code true} for a line that starts inside a triple-quoted string begun on an earlier line. */
  static boolean[] insideLiterals(List<String> lines) {
    boolean[] inside = new boolean[lines.size()];
    String open = null;
    for (int n = 0; n < lines.size(); n++) {
      inside[n] = open != null;
      String line = lines.get(n);
      int i = 0;
      while (i < line.length()) {
        if (open != null) {
          int close = line.indexOf(open, i);
          if (close < 0) {
            break;
          }
          open = null;
          i = close + 3;
        } else {
          char c = line.charAt(i);
          if (c == '#') {
            break;
          }
          if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
            open = line.substring(i, i + 3);
            i += 3;
          } else if (c == '"' || c == '\'') {
            int close = line.indexOf(c, i + 1);
            i = close < 0 ? line.length() : close + 1;
          } else {
            i++;
          }
        }
      }
    }
    return inside;
  }
}
