package rag.query.retrieve;

import java.util.List;
import rag.storage.model.Provenance;

/**
 * A run of consecutive chunks of one document version (often one chunk), as given to a model:
 * the text once (overlaps removed), its tokens, where it is in the document and its best score.
 */
public record Passage(String documentId, int version, int firstOrdinal, int lastOrdinal, List<String> chunkIds,
    String text, int tokens, Provenance provenance, double score) {
  public Passage {
    chunkIds = List.copyOf(chunkIds);
  }
}
