package rag.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rag.ingest.parse.MetadataKeys;
import rag.ingest.parse.ParsedDocument;
import rag.storage.embed.JTokkitTokenCounter;

class ChunkersTest {

  @ParameterizedTest
  @CsvSource({
      "application/pdf, -, TextChunker",
      "text/vtt, -, TranscriptCueChunker",
      "application/x-subrip, -, TranscriptCueChunker",
      "text/x-java-source, -, CodeDeclarationChunker",
      "text/x-python; charset=UTF-8, -, CodeDeclarationChunker",
      "text/plain, CODE, CodeDeclarationChunker", // a .ts file: the parser's word counts
      "text/plain, TRANSCRIPT, TranscriptCueChunker",
      "text/plain, -, TextChunker",
      "text/html, -, TextChunker",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document, DOCUMENT, TextChunker"})
  void pickedByRecordedFormatElseMediaType(String mediaType, String format, String chunker) {
    Map<String, String> metadata = format.equals("-") ? Map.of() : Map.of(MetadataKeys.FORMAT, format);
    ParsedDocument document = new ParsedDocument(mediaType, null, null, null, null, List.of(), metadata, null);
    assertThat(Chunkers.forDocument(document, ChunkingConfig.DEFAULT, JTokkitTokenCounter.cl100k()))
        .extracting(c -> c.getClass().getSimpleName()).isEqualTo(chunker);
  }
}
