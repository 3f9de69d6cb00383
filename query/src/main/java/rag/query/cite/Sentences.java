package rag.query.cite;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits text into sentences (and lines, for text laid out in lines), each verbatim from the text. */
final class Sentences {
  private static final int MAX_CHARS = 600;

  private Sentences() {}

  static List<String> of(String text) {
    List<String> sentences = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
      it.setText(line);
      int start = it.first();
      for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
        String s = line.substring(start, end).strip();
        if (!s.isEmpty()) {
          sentences.add(s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS));
        }
      }
    }
    return sentences;
  }
}
