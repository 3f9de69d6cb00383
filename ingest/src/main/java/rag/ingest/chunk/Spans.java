package rag.ingest.chunk;

import java.util.List;
import java.util.Objects;
import rag.storage.model.Provenance;

/** The provenance of a chunk from the provenance of its units: the smallest range covering them all. */
final class Spans {
  private Spans() {}

  /**
   * Pages, lines and times from the first to the last unit that has them; the speaker when every
   * unit that has one agrees (and none lacks one), else null; {@code section} as given.
   */
  static Provenance cover(List<Unit> units, String section) {
    Integer pageStart = null;
    Integer pageEnd = null;
    Integer lineStart = null;
    Integer lineEnd = null;
    Long startMs = null;
    Long endMs = null;
    String speaker = null;
    boolean sameSpeaker = true;
    for (Unit unit : units) {
      Provenance p = unit.provenance();
      pageStart = min(pageStart, p.pageStart());
      pageEnd = max(pageEnd, p.pageEnd() != null ? p.pageEnd() : p.pageStart());
      lineStart = min(lineStart, p.lineStart());
      lineEnd = max(lineEnd, p.lineEnd() != null ? p.lineEnd() : p.lineStart());
      startMs = min(startMs, p.startMs());
      endMs = max(endMs, p.endMs() != null ? p.endMs() : p.startMs());
      if (unit == units.get(0)) {
        speaker = p.speaker();
      } else if (!Objects.equals(speaker, p.speaker())) {
        sameSpeaker = false;
      }
    }
    return new Provenance(pageStart, pageEnd, lineStart, lineEnd, startMs, endMs, sameSpeaker ? speaker : null,
        section);
  }

  private static <T extends Comparable<T>> T min(T a, T b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  private static <T extends Comparable<T>> T max(T a, T b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
