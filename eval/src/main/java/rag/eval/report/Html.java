package rag.eval.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML. */
final class Html {
  private Html() {}

  /** Escapes text for element content and double- or single-quoted attribute values; null becomes "". */
  static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String fixed(double value, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", value);
  }

  static String percent(double fraction) {
    return fixed(fraction * 100, 1) + "%";
  }

  /** A depth as a label: "25%", "33.3%". */
  static String depth(double percent) {
    return percent == Math.rint(percent) ? (long) percent + "%" : fixed(percent, 1) + "%";
  }

  /** A token count as a label: 500, 1K, 1.5K, 128K, 10M. */
  static String tokens(long tokens) {
    if (tokens >= 1_000_000) {
      return compact(tokens / 1_000_000.0) + "M";
    }
    if (tokens >= 1_000) {
      return compact(tokens / 1_000.0) + "K";
    }
    return Long.toString(tokens);
  }

  private static String compact(double value) {
    String text = fixed(value, 1);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /** Background colour for a score in [0, 1]: red at 0 through yellow to green at 1. */
  static String scoreColour(double score) {
    double clamped = Math.max(0, Math.min(1, score));
    return "hsl(" + Math.round(clamped * 120) + ", 70%, 72%)";
  }
}
