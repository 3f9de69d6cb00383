package rag.ingest.chunk;

import java.util.List;
import rag.ingest.parse.CodeLanguage;

/**
 * A rough lexer for brace languages: it blanks out comments and string literals (so that braces and
 * keywords inside them are not seen) and records the brace depth at the start of every line. It
 * knows line and block comments, quoted strings and characters, Java text blocks and JavaScript/Go
 * backtick strings; it does not know regex literals or template expressions, which can only make a
 * declaration boundary less precise, never lose a line.
 */
final class CodeLexer {
  /** Each line with comments and string contents replaced by spaces, and the brace depth before it. */
  record Result(String[] code, int[] depth) {}

  private CodeLexer() {}

  static Result lex(List<String> lines, CodeLanguage language) {
    boolean backticks = language == CodeLanguage.JAVASCRIPT || language == CodeLanguage.TYPESCRIPT
        || language == CodeLanguage.GO;
    boolean textBlocks = language == CodeLanguage.JAVA;
    String[] code = new String[lines.size()];
    int[] depth = new int[lines.size()];
    int level = 0;
    char open = 0; // the delimiter of a literal or comment that runs across lines: '*', '`' or '"' (text block)
    for (int n = 0; n < lines.size(); n++) {
      depth[n] = level;
      char[] line = lines.get(n).toCharArray();
      char quote = 0;
      for (int i = 0; i < line.length; i++) {
        char c = line[i];
        char next = i + 1 < line.length ? line[i + 1] : 0;
        if (open == '*') {
          if (c == '*' && next == '/') {
            open = 0;
            line[i + 1] = ' ';
          }
          line[i] = ' ';
        } else if (open == '`' || open == '"') {
          boolean closes = open == '`' ? c == '`' : c == '"' && next == '"' && i + 2 < line.length && line[i + 2] == '"';
          if (c == '\\') {
            line[i] = ' ';
            if (i + 1 < line.length) {
              line[++i] = ' ';
            }
          } else if (closes) {
            i += open == '"' ? 2 : 0;
            open = 0;
          } else {
            line[i] = ' ';
          }
        } else if (quote != 0) {
          if (c == '\\' && i + 1 < line.length) {
            line[i] = ' ';
            line[++i] = ' ';
          } else if (c == quote) {
            quote = 0;
          } else {
            line[i] = ' ';
          }
        } else if (c == '/' && next == '/') {
          for (int k = i; k < line.length; k++) {
            line[k] = ' ';
          }
          break;
        } else if (c == '/' && next == '*') {
          open = '*';
          line[i] = ' ';
          line[++i] = ' ';
        } else if (textBlocks && c == '"' && next == '"' && i + 2 < line.length && line[i + 2] == '"') {
          open = '"';
          i += 2;
        } else if (backticks && c == '`') {
          open = '`';
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '{') {
          level++;
        } else if (c == '}') {
          level = Math.max(0, level - 1);
        }
      }
      code[n] = new String(line);
    }
    return new Result(code, depth);
  }
}
