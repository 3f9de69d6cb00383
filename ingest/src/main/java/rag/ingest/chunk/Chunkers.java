package rag.ingest.chunk;

import rag.ingest.parse.Format;
import rag.ingest.parse.MetadataKeys;
import rag.ingest.parse.ParsedDocument;
import rag.storage.embed.TokenCounter;

/** Picks the chunker for a parsed document. */
public final class Chunkers {
  private Chunkers() {}

  /**
   * Transcripts by cue, source code by declaration, everything else (PDF pages, office files, web
   * pages, e-mail, plain text) as prose. Uses the format the parser recorded under
   * {@link MetadataKeys#FORMAT}, else the media type.
   */
  /** A chunker that picks, per document, the chunker {@link #forDocument} would. */
  public static Chunker byFormat(ChunkingConfig config, TokenCounter counter) {
    return document -> forDocument(document, config, counter).chunk(document);
  }

  public static Chunker forDocument(ParsedDocument document, ChunkingConfig config, TokenCounter counter) {
    return switch (Format.of(document)) {
      case TRANSCRIPT -> new TranscriptCueChunker(config, counter);
      case CODE -> new CodeDeclarationChunker(config, counter);
      case PDF, DOCUMENT, IMAGE -> new TextChunker(config, counter);
    };
  }
}
