/**
 * Parsing: turns an uploaded file into text sections that know where they came from.
 *
 * <p><b>In:</b> a {@link rag.ingest.parse.Source} (the spooled file and the path it is known by).
 * <b>Out:</b> a {@link rag.ingest.parse.ParsedDocument}: the detected media type, title, author,
 * language and page count, non-fatal warnings, and {@link rag.ingest.parse.Section}s in reading
 * order, each with its {@link rag.storage.model.Provenance}; or a
 * {@link rag.ingest.parse.ParseFailure} whose {@link rag.ingest.parse.FailureKind} is the problem
 * type and whose message is written for the person who uploaded the file.
 *
 * <p>{@link rag.ingest.parse.TikaParser} is the one implementation. Tika detects the type (bytes
 * first, file name as a hint) and {@link rag.ingest.parse.Format} decides how the file is read:
 * <ul>
 *   <li>PDF: one section per page that has text ({@code pages(n, n)}); pages without text are
 *       warnings, a PDF without any is {@code NO_TEXT} (OCR'd instead when Tesseract is installed);
 *   <li>WebVTT and SubRip: one section per cue ({@code times(start, end, speaker)});
 *   <li>source code: one section with every line ({@code lines(1, n)}), read as it is;
 *   <li>everything else Tika reads (office files, HTML, e-mail, Markdown, text, CSV, JSON, XML):
 *       one section per slide ({@code pages(n, n)}) or per heading (its text in {@code section}).
 * </ul>
 * Limits ({@link rag.ingest.parse.ParserLimits}): text past {@code maxTextChars} is dropped with a
 * warning; a parse past {@code timeout} fails with {@code TIMEOUT}. Metadata keys are in
 * {@link rag.ingest.parse.MetadataKeys}.
 */
package rag.ingest.parse;
