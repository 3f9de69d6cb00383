package rag.ingest.chunk;

import java.util.List;
import rag.ingest.parse.ParsedDocument;
import rag.storage.model.Chunk;

/**
 * Cuts a parsed document into chunks (drafts: {@link Chunk#draft}, ordinals 0..n-1 in reading
 * order), each within the configured token limit, each with the provenance of the sections it covers.
 */
public interface Chunker {
  List<Chunk> chunk(ParsedDocument document);
}
