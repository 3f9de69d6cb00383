package rag.storage.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a chunk is about beyond its own words: its document's title (or, without one, its file name), its section (a
 * heading, a code symbol) and its speaker. BM25 indexes this header in a title field of its own weight, and the
 * embedding model reads it before the chunk's text; it is derived from the catalog at indexing time and never stored
 * in the chunk, so what users see and cite is the text alone.
 */
public final class ChunkContext {
  /** Between the parts of a header, e.g. {@code Inventory.java › Inventory.add}. */
  public static final String SEPARATOR = " › ";

  private ChunkContext() {}

  /** The header of this chunk; empty when its document has neither title nor file name and it has no section. */
  public static String header(Document document, Chunk chunk) {
    List<String> parts = new ArrayList<>(3);
    String title = clean(document.title());
    add(parts, title != null ? title : clean(document.sourceName()));
    Provenance at = chunk.provenance();
    if (at != null) {
      add(parts, clean(at.section()));
      add(parts, clean(at.speaker()));
    }
    return String.join(SEPARATOR, parts);
  }

  /**
   * What the embedding model reads for this chunk: the header, a blank line, the text; the text alone when there is no
   * header or the text already begins with it (a title written as the first line, as BEIR corpora are).
   */
  public static String forEmbedding(Document document, Chunk chunk) {
    String header = header(document, chunk);
    if (header.isEmpty() || chunk.text().startsWith(header)) {
      return chunk.text();
    }
    String title = clean(document.title());
    if (title != null && chunk.text().startsWith(title)) {
      header = header.equals(title) ? "" : header.substring(title.length() + SEPARATOR.length());
      if (header.isEmpty()) {
        return chunk.text();
      }
    }
    return header + "\n\n" + chunk.text();
  }

  private static void add(List<String> parts, String part) {
    if (part != null && !parts.contains(part)) {
      parts.add(part);
    }
  }

  private static String clean(String s) {
    if (s == null) {
      return null;
    }
    String oneLine = s.replaceAll("\\s+", " ").strip();
    if (oneLine.isEmpty()) {
      return null;
    }
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300);
  }
}
