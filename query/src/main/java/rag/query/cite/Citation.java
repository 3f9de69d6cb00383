package rag.query.cite;

/**
 * Where a statement of an answer comes from: the document, its place in the document (pages,
 * lines or times, whichever the format has; null otherwise) and a snippet that is verbatim text of
 * the cited passage.
 */
public record Citation(String id, String documentId, String source, String title, Integer page, Integer pageEnd,
    Integer lineStart, Integer lineEnd, Long startMs, Long endMs, String speaker, String snippet, double score) {}
