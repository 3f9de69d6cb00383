package rag.eval.qa;

import java.util.Locale;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/**
 * A passage a correct retrieval must contain: in the document whose source path is {@code source} or ends with it
 * (after a {@code /}), within the given pages, times (milliseconds) or lines when any is given, or holding
 * {@code text}. A chunk of that document is a hit when its provenance overlaps a given range or it contains the
 * text; with neither given, any chunk of the document is.
 */
public record ExpectedPassage(String source, Integer pageFrom, Integer pageTo, Long timeFrom, Long timeTo,
    Integer lineFrom, Integer lineTo, String text) {

  /** How well a retrieved chunk matches: the passage itself, only its document, or nothing. */
  public enum Grade {
    NONE(0), DOCUMENT(1), PASSAGE(2);

    private final int gain;

    Grade(int gain) {
      this.gain = gain;
    }

    public int gain() {
      return gain;
    }
  }

  public ExpectedPassage {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("an expected passage needs a \"source\"");
    }
    requireRange("pages", pageFrom, pageTo);
    requireRange("timeMs", timeFrom, timeTo);
    requireRange("lines", lineFrom, lineTo);
    text = text == null || text.isBlank() ? null : text;
  }

  private static <T extends Comparable<T>> void requireRange(String what, T from, T to) {
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException("\"" + what + "\" needs both ends: [from, to]");
    }
    if (from != null && from.compareTo(to) > 0) {
      throw new IllegalArgumentException("\"" + what + "\" runs backwards: [" + from + ", " + to + "]");
    }
  }

  /** True when the passage names a place in its document (a range or a text), not only the document. */
  public boolean pinpointed() {
    return pageFrom != null || timeFrom != null || lineFrom != null || text != null;
  }

  public boolean matchesSource(Document document) {
    return matchesSource(document.sourcePath());
  }

  /** True when the source path is the expected one, ends with it after a {@code /}, or its file name is it. */
  public boolean matchesSource(String sourcePath) {
    String path = sourcePath.replace('\\', '/');
    String wanted = source.replace('\\', '/');
    return path.equals(wanted) || path.endsWith("/" + wanted) || path.substring(path.lastIndexOf('/') + 1).equals(wanted);
  }

  public Grade grade(Document document, Chunk chunk) {
    return grade(document, chunk.text(), chunk.provenance());
  }

  /** The grade of a stretch of the document's text at {@code p} (a chunk, or a passage packed into a prompt). */
  public Grade grade(Document document, String chunkText, Provenance p) {
    return grade(document.sourcePath(), chunkText, p);
  }

  /** The grade of a stretch of text at {@code p} in the document at {@code sourcePath} (e.g. a cited passage). */
  public Grade grade(String sourcePath, String chunkText, Provenance p) {
    if (!matchesSource(sourcePath)) {
      return Grade.NONE;
    }
    if (!pinpointed()) {
      return Grade.PASSAGE;
    }
    boolean inRange = overlaps(pageFrom, pageTo, p.pageStart(), p.pageEnd())
        || overlaps(timeFrom, timeTo, p.startMs(), p.endMs())
        || overlaps(lineFrom, lineTo, p.lineStart(), p.lineEnd());
    boolean holdsText = text != null && chunkText != null && normalize(chunkText).contains(normalize(text));
    return inRange || holdsText ? Grade.PASSAGE : Grade.DOCUMENT;
  }

  private static <T extends Comparable<T>> boolean overlaps(T from, T to, T start, T end) {
    if (from == null || start == null) {
      return false;
    }
    T last = end == null ? start : end;
    return start.compareTo(to) <= 0 && last.compareTo(from) >= 0;
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }
}
