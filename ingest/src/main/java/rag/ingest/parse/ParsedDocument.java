package rag.ingest.parse;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a parser made of a file: the detected media type, metadata, and the text as sections in
 * reading order. {@code warnings} are non-fatal problems (for example "no text layer on page 3").
 */
public record ParsedDocument(String mediaType, String title, String author, String language, Integer pageCount,
    List<Section> sections, Map<String, String> metadata, List<String> warnings) {
  public ParsedDocument {
    Objects.requireNonNull(mediaType, "mediaType");
    sections = List.copyOf(sections);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
