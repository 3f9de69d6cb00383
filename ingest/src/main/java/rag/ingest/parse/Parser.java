package rag.ingest.parse;

/**
 * Turns a spooled file into text sections with provenance. Implementations are thread-safe; they
 * open and close the file themselves.
 */
public interface Parser {
  ParsedDocument parse(Source source) throws ParseFailure;
}
