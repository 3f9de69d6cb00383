package rag.ingest.parse;

import java.util.Objects;
import rag.storage.model.Provenance;

/**
 * A run of a document's text with one position: a PDF page, a transcript cue, a line range of code,
 * a whole plain-text body. Chunkers group or split sections; they never lose their provenance.
 */
public record Section(String text, Provenance provenance) {
  public Section {
    Objects.requireNonNull(text, "text");
    provenance = provenance == null ? Provenance.NONE : provenance;
  }
}
