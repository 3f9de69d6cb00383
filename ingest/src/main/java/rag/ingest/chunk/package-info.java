/**
 * Chunking: cuts a parsed document into the pieces that are indexed, embedded and cited.
 *
 * <p><b>In:</b> a {@link rag.ingest.parse.ParsedDocument} and a
 * {@link rag.ingest.chunk.ChunkingConfig} (size and overlap in tokens of the shared
 * {@link rag.storage.embed.TokenCounter}). <b>Out:</b> draft {@link rag.storage.model.Chunk}s,
 * ordinals 0..n-1 in reading order, each with its exact token count (never over the limit) and the
 * provenance of what it covers: a page range, a line range with the enclosing declaration, or a
 * time range with the speaker.
 *
 * <p>{@link rag.ingest.chunk.Chunkers#forDocument} picks the chunker:
 * {@link rag.ingest.chunk.TextChunker} (sentences and paragraphs; PDF pages, office files, web
 * pages, e-mail, text), {@link rag.ingest.chunk.CodeDeclarationChunker} (declarations and whole
 * lines) and {@link rag.ingest.chunk.TranscriptCueChunker} (whole cues). All three cut the document
 * into units (sentences, lines, cues), cut a unit that is over the limit on its own (words, then
 * characters), and group units with one packing rule: fill up to the limit, end at the best
 * boundary, check the real token count, overlap with the previous chunk's last units.
 */
package rag.ingest.chunk;
