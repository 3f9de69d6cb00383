package rag.bench;

import java.lang.management.ManagementFactory;

/**
 * Where the benchmark streams an assembled prompt: like the service's request writer it takes the text a piece at
 * a time and looks at every char, but it keeps nothing, only the chars and the UTF-8 bytes they encode to. Made with
 * {@code gcEveryChars > 0}, it runs a full collection every that many chars and keeps the highest heap in use right
 * after one: the live heap while the prompt is being written (slow; for a run that is not timed).
 */
final class PromptSink implements Appendable {
  private final long gcEveryChars;
  private long chars;
  private long utf8Bytes;
  private long peakLiveBytes;

  PromptSink() {
    this(0);
  }

  PromptSink(long gcEveryChars) {
    this.gcEveryChars = gcEveryChars;
  }

  @Override
  public Appendable append(CharSequence text) {
    return append(text, 0, text.length());
  }

  @Override
  public Appendable append(CharSequence text, int start, int end) {
    for (int i = start; i < end; i++) {
      append(text.charAt(i));
    }
    return this;
  }

  @Override
  public Appendable append(char c) {
    chars++;
    // a surrogate pair is 4 bytes, 2 per half
    utf8Bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    if (gcEveryChars > 0 && chars % gcEveryChars == 0) {
      System.gc();
      peakLiveBytes = Math.max(peakLiveBytes,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return this;
  }

  long chars() {
    return chars;
  }

  long utf8Bytes() {
    return utf8Bytes;
  }

  /** The highest heap in use after the collections this sink ran (0 when it ran none). */
  long peakLiveBytes() {
    return peakLiveBytes;
  }
}
