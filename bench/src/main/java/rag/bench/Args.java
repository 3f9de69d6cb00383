package rag.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options. */
final class Args {
  private Args() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("illegal option '" + a + "', expected --name=value");
      }
      opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return opts;
  }
}
