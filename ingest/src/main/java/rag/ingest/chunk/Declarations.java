package rag.ingest.chunk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import rag.ingest.chunk.DeclarationRules.Match;
import rag.ingest.parse.CodeLanguage;

/**
 * Finds the declarations of a source file and their line ranges. Brace languages: a declaration
 * runs from its first line to the brace that closes its body (or to its semicolon, for prototypes
 * and one-liners); members are looked for only directly inside class-like bodies, never inside
 * function bodies. Python: a {@code def} or {@code class} runs while the lines are indented deeper.
 * Comments, annotations and decorators right above a declaration belong to it.
 */
final class Declarations {
  private static final int SCAN_LINES = 20;

  private Declarations() {}

  /** The declarations in order of their first line; lines are 1-based. */
  static List<Declaration> find(List<String> lines, CodeLanguage language) {
    if (language == CodeLanguage.OTHER) {
      return List.of();
    }
    return language == CodeLanguage.PYTHON ? indented(lines) : braced(lines, language);
  }

  /** A container being read: its declaration, its 0-based header line and the brace depth of its body. */
  private record Open(Declaration declaration, int header, int bodyDepth) {}

  private static List<Declaration> braced(List<String> lines, CodeLanguage language) {
    CodeLexer.Result lexed = CodeLexer.lex(lines, language);
    String[] code = lexed.code();
    List<Declaration> found = new ArrayList<>();
    Deque<Open> open = new ArrayDeque<>();
    int previousEnd = 0;
    for (int i = 0; i < code.length; i++) {
      while (!open.isEmpty() && open.peek().declaration().end() < i + 1) {
        previousEnd = open.pop().declaration().end();
      }
      int allowed = open.isEmpty() ? 0 : open.peek().bodyDepth();
      String line = code[i].strip();
      if (line.isEmpty() || lexed.depth()[i] != allowed) {
        continue;
      }
      Declaration parent = open.isEmpty() ? null : open.peek().declaration();
      String owner = parent == null || parent.kind().equals("namespace") ? null : parent.name();
      Match match = DeclarationRules.match(language, line, owner);
      if (match == null) {
        continue;
      }
      int end = end(code, i);
      int floor = Math.max(previousEnd, open.isEmpty() ? 0 : open.peek().header() + 1);
      Declaration declaration = new Declaration(match.kind(), match.name(), leadingComments(lines, code, i, floor),
          end, parent);
      found.add(declaration);
      if (match.container() && end > i + 1) {
        open.push(new Open(declaration, i, allowed + 1));
      } else {
        previousEnd = end;
        i = end - 1;
      }
    }
    return found;
  }

  /**
   * The 1-based last line: where the braces of the body balance, or the first semicolon outside
   * parentheses before any body; the first line alone when neither comes before a blank line.
   */
  private static int end(String[] code, int first) {
    int parens = 0;
    int braces = 0;
    boolean body = false;
    for (int n = first; n < code.length && (body || n < first + SCAN_LINES); n++) {
      if (n > first && !body && code[n].isBlank()) {
        return first + 1;
      }
      for (char c : code[n].toCharArray()) {
        if (body) {
          braces += c == '{' ? 1 : c == '}' ? -1 : 0;
          if (braces == 0) {
            return n + 1;
          }
        } else if (c == '(' || c == '[') {
          parens++;
        } else if (c == ')' || c == ']') {
          parens--;
        } else if (c == '{' && parens <= 0) {
          braces = 1;
          body = true;
        } else if (c == ';' && parens <= 0) {
          return n + 1;
        }
      }
    }
    return body ? code.length : first + 1;
  }

  private static List<Declaration> indented(List<String> lines) {
    boolean[] inString = PythonStrings.insideLiterals(lines);
    List<Declaration> found = new ArrayList<>();
    Deque<Open> open = new ArrayDeque<>(); // bodyDepth holds the indentation of the header line
    int previousEnd = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || inString[i]) {
        continue;
      }
      int indent = indent(line);
      while (!open.isEmpty() && indent <= open.peek().bodyDepth()) {
        previousEnd = open.pop().declaration().end();
      }
      Declaration parent = open.isEmpty() ? null : open.peek().declaration();
      Match match = DeclarationRules.match(CodeLanguage.PYTHON, line.strip(), null);
      if (match == null) {
        continue;
      }
      int end = i + 1;
      for (int n = i + 1; n < lines.size(); n++) {
        if (!lines.get(n).isBlank() && !inString[n] && indent(lines.get(n)) <= indent) {
          break;
        }
        if (!lines.get(n).isBlank()) {
          end = n + 1;
        }
      }
      String kind = match.kind().equals("function") && parent != null && parent.kind().equals("class")
          ? "method" : match.kind();
      int floor = Math.max(previousEnd, open.isEmpty() ? 0 : open.peek().header() + 1);
      Declaration declaration = new Declaration(kind, match.name(), leadingComments(lines, null, i, floor), end,
          parent);
      found.add(declaration);
      open.push(new Open(declaration, i, indent));
    }
    return found;
  }

  /** The 1-based first line including the comment, annotation and decorator lines just above line {@code i}. */
  private static int leadingComments(List<String> lines, String[] code, int i, int floor) {
    int k = i;
    while (k - 1 >= floor && k - 1 >= 0 && isPreamble(lines.get(k - 1), code == null ? null : code[k - 1])) {
      k--;
    }
    return k + 1;
  }

  private static boolean isPreamble(String line, String code) {
    String stripped = line.strip();
    if (stripped.isEmpty()) {
      return false;
    }
    if (code != null && code.isBlank()) {
      return true; // only a comment
    }
    return stripped.startsWith("@") || stripped.startsWith("#") && !stripped.startsWith("#include")
        && !stripped.startsWith("#define") && !stripped.startsWith("#if") && !stripped.startsWith("#endif");
  }

  private static int indent(String line) {
    int width = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ') {
        width++;
      } else if (c == '\t') {
        width = (width / 8 + 1) * 8;
      } else {
        break;
      }
    }
    return width;
  }
}
