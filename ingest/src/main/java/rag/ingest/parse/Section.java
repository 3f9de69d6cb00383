package rag.ingest.parse;

import java.util.Objects;
import rag.storage.model.Provenance;

/**
 * A run of a document's text with one position: a PDF page, a transcript cue, a line range of code,
 * a whole plain-text body. Chunkers group or split sections; they never lose their provenance. A section laid out as
 * a table carries its rows ({@code table}, else null): its text is then the table's text.
 */
public record Section(String text, Provenance provenance, TableRows table) {
  public Section(String text, Provenance provenance) {
    this(text, provenance, null);
  }

  public Section {
    Objects.requireNonNull(text, "text");
    provenance = provenance == null ? Provenance.NONE : provenance;
  }
}
