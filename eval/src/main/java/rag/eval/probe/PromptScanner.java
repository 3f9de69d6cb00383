package rag.eval.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rag.storage.embed.TokenCounter;

/**
 * Reads a stuffed prompt as it is written ({@link Appendable}), line by line, without keeping it: counts the
 * prompt's tokens, checks the document separators ({@code <<<DOCUMENT Dn ...>>>} opening and
 * {@code <<<END DOCUMENT Dn>>>} closing each document in turn, nothing left open, no stray separator), and records
 * where each needle starts, in tokens of document text (the lines between separators, citation marker lines left
 * out). Token counts are per line, so they can differ from a count of the whole prompt by a few tokens per
 * thousand lines.
 */
final class PromptScanner implements Appendable {
  private static final Pattern OPEN = Pattern.compile("<<<DOCUMENT D(\\d+) .*>>>");
  private static final Pattern CLOSE = Pattern.compile("<<<END DOCUMENT D(\\d+)>>>");
  private static final Pattern MARKER = Pattern.compile("\\[C\\d+( \\| [^\\]]*)?\\]");

  private final TokenCounter counter;
  private final List<String> needles;
  private final long[] needleOffsets;
  private final StringBuilder line = new StringBuilder(256);
  private final List<String> separatorErrors = new ArrayList<>();
  private long promptTokens;
  private long documentTokens;
  private int opened;
  private int closed;
  private int openLabel;

  PromptScanner(TokenCounter counter, List<String> needles) {
    this.counter = Objects.requireNonNull(counter, "counter");
    this.needles = List.copyOf(needles);
    this.needleOffsets = new long[needles.size()];
    Arrays.fill(needleOffsets, -1);
  }

  @Override
  public PromptScanner append(CharSequence csq) {
    return append(csq, 0, csq.length());
  }

  @Override
  public PromptScanner append(CharSequence csq, int start, int end) {
    for (int i = start; i < end; i++) {
      append(csq.charAt(i));
    }
    return this;
  }

  @Override
  public PromptScanner append(char c) {
    if (c == '\n') {
      line(line.toString());
      line.setLength(0);
    } else {
      line.append(c);
    }
    return this;
  }

  /** Call once the prompt is written: reads a last line without a line break. */
  void finish() {
    if (!line.isEmpty()) {
      line(line.toString());
      line.setLength(0);
    }
    if (openLabel != 0) {
      separatorErrors.add("document D" + openLabel + " is never closed");
    }
  }

  private void line(String text) {
    int tokens = counter.count(text) + 1;
    promptTokens += tokens;
    Matcher open = OPEN.matcher(text);
    Matcher close = CLOSE.matcher(text);
    if (open.matches()) {
      int label = Integer.parseInt(open.group(1));
      if (openLabel != 0) {
        separatorErrors.add("D" + label + " opens inside D" + openLabel);
      } else if (label != opened + 1) {
        separatorErrors.add("D" + label + " opens where D" + (opened + 1) + " should");
      }
      opened++;
      openLabel = label;
    } else if (close.matches()) {
      int label = Integer.parseInt(close.group(1));
      if (label != openLabel) {
        separatorErrors.add("D" + label + " closes while " + (openLabel == 0 ? "no document" : "D" + openLabel)
            + " is open");
      }
      closed++;
      openLabel = 0;
    } else if (text.startsWith("<<<")) {
      separatorErrors.add("a line looks like a broken separator: " + abbreviate(text));
    } else if (openLabel != 0 && !MARKER.matcher(text).matches()) {
      for (int i = 0; i < needles.size(); i++) {
        int at = needleOffsets[i] < 0 ? text.indexOf(needles.get(i)) : -1;
        if (at >= 0) {
          needleOffsets[i] = documentTokens + (at == 0 ? 0 : counter.count(text.substring(0, at)));
        }
      }
      documentTokens += tokens;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 79) + "…";
  }

  long promptTokens() {
    return promptTokens;
  }

  /** Tokens of document text, separators and markers left out (needles included). */
  long documentTokens() {
    return documentTokens;
  }

  int opened() {
    return opened;
  }

  int closed() {
    return closed;
  }

  List<String> separatorErrors() {
    return List.copyOf(separatorErrors);
  }

  /** Token offset in the document text where needle {@code i} starts, -1 when it was not seen. */
  long needleOffset(int i) {
    return needleOffsets[i];
  }
}
