package rag.query.assemble;

import rag.storage.model.Document;
import rag.storage.model.Provenance;

/** The text behind a citation id in a prompt: which document, where in it, and the words. */
public record Cited(int number, Document document, Provenance provenance, String text, double score) {
  public String label() {
    return PromptLayout.citationLabel(number);
  }
}
