package rag.storage.vector;

import java.util.List;
import rag.storage.model.Document;

/** The vectors of one document version, for bulk loads. */
public record DocumentVectors(Document document, List<EmbeddedChunk> chunks) {
  public DocumentVectors {
    chunks = List.copyOf(chunks);
  }
}
