package rag.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options; a bare {@code --name} means {@code --name=true}. */
final class Args {
  private Args() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || a.length() < 3) {
        throw new IllegalArgumentException("illegal option '" + a + "', expected --name=value or --name");
      }
      if (a.contains("=")) {
        opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else {
        opts.put(a.substring(2), "true");
      }
    }
    return opts;
  }
}
