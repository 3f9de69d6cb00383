package rag.storage.model;

/**
 * Where a chunk came from inside its document. Every field is optional (null when the format has
 * no such notion): pages are 1-based and inclusive, lines are 1-based and inclusive, times are
 * milliseconds from the start of the recording.
 */
public record Provenance(
    Integer pageStart,
    Integer pageEnd,
    Integer lineStart,
    Integer lineEnd,
    Long startMs,
    Long endMs,
    String speaker,
    String section) {

  public static final Provenance NONE = new Provenance(null, null, null, null, null, null, null, null);

  public Provenance {
    requireOrdered(pageStart, pageEnd, "page");
    requireOrdered(lineStart, lineEnd, "line");
    if (startMs != null && endMs != null && endMs < startMs) {
      throw new IllegalArgumentException("illegal time range " + startMs + ".." + endMs + " ms: end before start");
    }
  }

  public static Provenance pages(int start, int end) {
    return new Provenance(start, end, null, null, null, null, null, null);
  }

  public static Provenance lines(int start, int end, String section) {
    return new Provenance(null, null, start, end, null, null, null, section);
  }

  public static Provenance times(long startMs, long endMs, String speaker) {
    return new Provenance(null, null, null, null, startMs, endMs, speaker, null);
  }

  private static void requireOrdered(Integer start, Integer end, String what) {
    if (start != null && start < 1) {
      throw new IllegalArgumentException("illegal " + what + " start " + start + ", must be >= 1");
    }
    if (start != null && end != null && end < start) {
      throw new IllegalArgumentException("illegal " + what + " range " + start + ".." + end + ": end before start");
    }
  }
}
