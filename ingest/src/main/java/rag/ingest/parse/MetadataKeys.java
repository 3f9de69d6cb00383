package rag.ingest.parse;

import java.util.List;
import org.apache.tika.metadata.HttpHeaders;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;

/**
 * The metadata keys this package reads from Tika and writes into {@link ParsedDocument#metadata()}.
 * Tika's own keys keep their names ({@code dc:title}); ours are namespaced {@code rag:}.
 */
public final class MetadataKeys {
  /** The media type Tika detected, without parameters, e.g. {@code application/pdf}. */
  public static final String CONTENT_TYPE = HttpHeaders.CONTENT_TYPE;
  /** The charset the text was decoded with (text formats only). */
  public static final String CHARSET = "rag:charset";
  /** How the document was read: one of {@link Format}'s names. Chunkers pick their chunker by it. */
  public static final String FORMAT = "rag:format";
  /** The programming language of a source file: one of {@link CodeLanguage}'s names. */
  public static final String CODE_LANGUAGE = "rag:code-language";
  /** {@code true} when text was dropped at {@link ParserLimits#maxTextChars()}. */
  public static final String TRUNCATED = "rag:truncated";
  /** A transcript's length: the end of its last cue, in milliseconds. */
  public static final String DURATION_MS = "rag:duration-ms";
  /** A source file's number of lines. */
  public static final String LINE_COUNT = "rag:line-count";
  /** {@code true} when the text of at least one page came from OCR. */
  public static final String OCR = "rag:ocr";

  static final Property TITLE = TikaCoreProperties.TITLE;
  static final Property AUTHOR = TikaCoreProperties.CREATOR;
  static final Property LANGUAGE = TikaCoreProperties.LANGUAGE;
  static final Property PAGE_COUNT = PagedText.N_PAGES;
  static final Property OCR_PAGE_COUNT = Property.externalInteger("pdf:ocrPageCount");
  static final Property TIKA_WARNINGS = TikaCoreProperties.TIKA_META_EXCEPTION_WARNING;
  static final String CONTENT_LANGUAGE = HttpHeaders.CONTENT_LANGUAGE;
  static final String RESOURCE_NAME = TikaCoreProperties.RESOURCE_NAME_KEY;

  /** Tika keys copied as they are into {@link ParsedDocument#metadata()} when present. */
  static final List<String> COPIED = List.of(
      TikaCoreProperties.TITLE.getName(),
      TikaCoreProperties.CREATOR.getName(),
      TikaCoreProperties.CREATED.getName(),
      TikaCoreProperties.MODIFIED.getName(),
      TikaCoreProperties.LANGUAGE.getName(),
      TikaCoreProperties.SUBJECT.getName(),
      PagedText.N_PAGES.getName(),
      "pdf:producer",
      "xmp:CreatorTool",
      "Message-From",
      "Message-To");

  private MetadataKeys() {}
}
