package rag.query.assemble;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import rag.query.plan.Route;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/**
 * The exact text around the documents in every prompt: the fixed system message, the table of
 * contents, the separators that wrap each document (id, title, source, media type), the citation
 * marker before each passage (with its page, time or line range), and the instructions and
 * question, which always come last so that everything before them can be reused across questions.
 */
public final class PromptLayout {
  public static final String SYSTEM = "You answer questions about a document archive. You use only the documents"
      + " given to you, and you cite the passages you use.";

  static final String CONTENTS_HEADING = "# Contents\n";
  static final String DOCUMENTS_HEADING = "\n# Documents\n";
  private static final String OPEN = "<<<DOCUMENT ";
  private static final String CLOSE = "<<<END DOCUMENT ";

  static final String STUFF_INSTRUCTIONS = "\n# Instructions\nAnswer the question below using only the documents"
      + " above. After each statement, cite the passages it comes from by their ids in square brackets, for"
      + " example [C12] or [C3][C40]. If the documents do not contain the answer, say so plainly.\n";
  static final String RETRIEVE_INSTRUCTIONS = "\n# Instructions\nAnswer the question below using only the"
      + " excerpts above. After each statement, cite the excerpts it comes from by their ids in square brackets,"
      + " for example [C2] or [C1][C4]. If the excerpts do not contain the answer, say so plainly.\n";
  /** Retrieval instructions of a routed answer's step: a prompt without the answer gets the marker back. */
  static final String ROUTED_RETRIEVE_INSTRUCTIONS = "\n# Instructions\nAnswer the question below using only the"
      + " excerpts above. After each statement, cite the excerpts it comes from by their ids in square brackets,"
      + " for example [C2] or [C1][C4]. If the excerpts do not contain the answer, reply with the single word "
      + Route.UNANSWERABLE + " and nothing else.\n";
  static final String QUESTION_HEADING = "\n# Question\n";

  private PromptLayout() {}

  /** The document's label in the prompt: D1, D2, ... in prompt order. */
  public static String documentLabel(int index) {
    return "D" + (index + 1);
  }

  public static String citationLabel(int number) {
    return "C" + number;
  }

  public static String contentsLine(int index, Document d) {
    StringBuilder line = new StringBuilder().append(documentLabel(index)).append(". ")
        .append(d.title() == null || d.title().isBlank() ? d.sourceName() : oneLine(d.title()))
        .append(" (").append(oneLine(d.sourcePath())).append(", ").append(d.mediaType());
    if (d.pageCount() != null) {
      line.append(", ").append(d.pageCount()).append(d.pageCount() == 1 ? " page" : " pages");
    }
    return line.append(", ").append(d.tokenCount()).append(" tokens)\n").toString();
  }

  public static String open(int index, Document d) {
    return "\n" + OPEN + documentLabel(index) + " id=\"" + d.id() + "\" title=\"" + attribute(d.title())
        + "\" source=\"" + attribute(d.sourcePath()) + "\" type=\"" + d.mediaType() + "\">>>\n";
  }

  public static String close(int index) {
    return "\n" + CLOSE + documentLabel(index) + ">>>\n";
  }

  /** {@code [C12 | page 3]}, {@code [C4 | 00:01:02.500-00:01:09.000, ALICE]}, {@code [C7 | lines 10-42, Foo.bar]}. */
  public static String marker(int number, Provenance p) {
    StringBuilder m = new StringBuilder("[").append(citationLabel(number));
    String where = where(p);
    if (!where.isEmpty()) {
      m.append(" | ").append(where);
    }
    return m.append("]\n").toString();
  }

  /** Where a passage is, in words: pages, times or lines, with the speaker or symbol. */
  public static String where(Provenance p) {
    StringBuilder w = new StringBuilder();
    if (p.pageStart() != null) {
      w.append(p.pageEnd() == null || p.pageEnd().equals(p.pageStart())
          ? "page " + p.pageStart() : "pages " + p.pageStart() + "-" + p.pageEnd());
    }
    if (p.startMs() != null) {
      append(w, time(p.startMs()) + (p.endMs() == null ? "" : "-" + time(p.endMs())));
      if (p.speaker() != null) {
        append(w, cap(p.speaker(), 40));
      }
    }
    if (p.lineStart() != null) {
      append(w, p.lineEnd() == null || p.lineEnd().equals(p.lineStart())
          ? "line " + p.lineStart() : "lines " + p.lineStart() + "-" + p.lineEnd());
      if (p.section() != null) {
        append(w, cap(p.section(), 60));
      }
    }
    return w.toString();
  }

  /**
   * A whole document as a stuffed prompt holds it: its separators around its chunks, each chunk after its citation
   * marker, numbered from {@code firstNumber}. {@code chunks} are the version's chunks as the catalog has them now:
   * fewer than planned when the document was replaced or deleted meanwhile.
   */
  public static void writeDocument(Appendable out, int index, Document d, List<Chunk> chunks, int firstNumber)
      throws IOException {
    out.append(open(index, d));
    for (int c = 0; c < Math.min(d.chunkCount(), chunks.size()); c++) {
      Chunk chunk = chunks.get(c);
      out.append(c == 0 ? "" : "\n").append(marker(firstNumber + c, chunk.provenance()));
      out.append(body(c == 0 ? chunk.text() : chunk.newText()));
    }
    if (chunks.isEmpty()) {
      out.append("(this document was replaced or deleted while the prompt was being built)");
    }
    out.append(close(index));
  }

  /** Document text with anything that could pass for a separator defused. */
  public static String body(String text) {
    return text.indexOf("<<<") < 0 ? text : text.replace("<<<", "<< <");
  }

  /** Everything but the documents and the system message: headings, instructions, question. */
  public static String frame(boolean stuffed, String question) {
    return frame(stuffed, false, question);
  }

  /** {@link #frame(boolean, String)}, with the instructions of a routed step when {@code marker} (retrieval only). */
  public static String frame(boolean stuffed, boolean marker, String question) {
    return CONTENTS_HEADING + DOCUMENTS_HEADING + instructionsAndQuestion(stuffed, marker, question);
  }

  static String instructionsAndQuestion(boolean stuffed, String question) {
    return instructionsAndQuestion(stuffed, false, question);
  }

  static String instructionsAndQuestion(boolean stuffed, boolean marker, String question) {
    if (stuffed && marker) {
      throw new IllegalArgumentException("a stuffed prompt is the last step of a route: it asks for no marker");
    }
    String instructions = stuffed ? STUFF_INSTRUCTIONS : marker ? ROUTED_RETRIEVE_INSTRUCTIONS : RETRIEVE_INSTRUCTIONS;
    return instructions + QUESTION_HEADING + question.strip() + "\n";
  }

  /** Earlier turns of a chat, as they appear before the instructions: {@code role: text} lines. */
  public static String conversation(List<String[]> turns) {
    if (turns.isEmpty()) {
      return "";
    }
    StringBuilder c = new StringBuilder("\n# Conversation so far\n");
    for (String[] turn : turns) {
      c.append(turn[0]).append(": ").append(body(turn[1].strip())).append('\n');
    }
    return c.toString();
  }

  static String time(long ms) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
        ms % 1000);
  }

  private static void append(StringBuilder w, String part) {
    if (!w.isEmpty()) {
      w.append(", ");
    }
    w.append(part);
  }

  private static String attribute(String s) {
    return s == null ? "" : oneLine(s).replace("\"", "'").replace(">>>", "> > >");
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  private static String cap(String s, int max) {
    String one = oneLine(s);
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }
}
