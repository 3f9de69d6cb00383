package rag.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import rag.ingest.parse.SectionCollector.Split;

/**
 * The {@link Parser} for every format, built on Tika: Tika detects the type (from the bytes, with
 * the file name as a hint; a {@code .txt} file that is plain UTF-8 text is known without it, see
 * {@link PlainTextSniffer}); PDFs, office files, HTML, e-mail and plain text go through Tika's
 * {@link AutoDetectParser}; captions and source code are read directly (see {@link PlainText}).
 * Each parse runs in a worker thread under {@link ParserLimits#timeout()}. Thread-safe: the Tika
 * configuration and parser are built once and shared; everything else is per call.
 */
public final class TikaParser implements Parser {
  private final ParserLimits limits;
  private final org.apache.tika.parser.Parser tika;
  private final Detector detector;
  private final MediaTypeRegistry types;
  private final EncodingDetector encodings;
  private final boolean tables;

  public TikaParser() {
    this(ParserLimits.DEFAULT);
  }

  public TikaParser(ParserLimits limits) {
    this(limits, true);
  }

  /**
   * @param tables whether tables are read as rows under their header (PDF pages laid out as tables, {@code <table>}s
   *     of HTML and office files, CSV and TSV files); off, as plain text, as Tika reads them
   */
  public TikaParser(ParserLimits limits, boolean tables) {
    this(limits, TikaConfig.getDefaultConfig(), null, tables);
  }

  /** With another Tika parser in place of the {@link AutoDetectParser} (tests: a parser that hangs). */
  TikaParser(ParserLimits limits, TikaConfig config, org.apache.tika.parser.Parser tika) {
    this(limits, config, tika, true);
  }

  private TikaParser(ParserLimits limits, TikaConfig config, org.apache.tika.parser.Parser tika, boolean tables) {
    this.tables = tables;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tika = tika != null ? tika : new AutoDetectParser(config);
    this.detector = config.getDetector();
    this.types = config.getMediaTypeRegistry();
    this.encodings = new Utf8FirstEncodingDetector(config.getEncodingDetector());
  }

  /** @throws ParseFailure with the reason when the file cannot be ingested */
  @Override
  public ParsedDocument parse(Source source) throws ParseFailure {
    return TimeLimit.call(() -> parseNow(source), limits.timeout());
  }

  private ParsedDocument parseNow(Source source) throws ParseFailure {
    MediaType type = null;
    try {
      Path file = source.file();
      if (Files.size(file) == 0) {
        throw Failures.empty();
      }
      type = detect(file, source.fileName());
      Format format = Format.of(type, source.fileName(), types, Ocr.available());
      if (format == null) {
        throw unsupported(type);
      }
      PlainText plain = new PlainText(encodings, limits.maxTextChars());
      return switch (format) {
        case TRANSCRIPT -> plain.transcript(file, type);
        case CODE -> plain.code(file, type, CodeLanguage.of(type, source.fileName()));
        case DOCUMENT -> switch (type.getBaseType().toString()) {
          case "text/plain" -> plain.text(file, type);
          case "text/csv" -> tables ? plain.delimited(file, type, ',') : viaTika(file, source.fileName(), type, format);
          case "text/tab-separated-values" -> tables ? plain.delimited(file, type, '\t')
              : viaTika(file, source.fileName(), type, format);
          default -> viaTika(file, source.fileName(), type, format);
        };
        case PDF, IMAGE -> viaTika(file, source.fileName(), type, format);
      };
    } catch (ParseFailure failure) {
      throw failure;
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      throw Failures.map(e, type);
    }
  }

  private MediaType detect(Path file, String fileName) throws IOException {
    if (PlainTextSniffer.namedAsPlainText(fileName)) {
      byte[] head;
      try (InputStream in = Files.newInputStream(file)) {
        head = in.readNBytes(PlainTextSniffer.HEAD_BYTES);
      }
      if (PlainTextSniffer.isPlainText(fileName, head, head.length < PlainTextSniffer.HEAD_BYTES)) {
        return MediaType.TEXT_PLAIN;
      }
    }
    Metadata metadata = new Metadata();
    metadata.set(MetadataKeys.RESOURCE_NAME, fileName);
    try (TikaInputStream in = TikaInputStream.get(file)) {
      return detector.detect(in, metadata);
    }
  }

  private ParsedDocument viaTika(Path file, String fileName, MediaType type, Format format) throws Exception {
    if (types.isInstanceOf(type, MediaType.APPLICATION_XML)) {
      XmlGuard.check(file);
    }
    // Tika sniffs plain text for CSV and then emits a table: prose with commas is no table (CSV files go to delimited)
    boolean plainText = type.getBaseType().equals(MediaType.TEXT_PLAIN);
    SectionCollector collector = new SectionCollector(split(type, format), limits.maxTextChars(),
        tables && !plainText);
    Metadata metadata = new Metadata();
    metadata.set(MetadataKeys.RESOURCE_NAME, fileName);
    try (TikaInputStream in = TikaInputStream.get(file)) {
      tika.parse(in, collector, metadata, context(format));
    } catch (Exception e) {
      if (!WriteLimitReachedException.isWriteLimitReached(e)) {
        throw e;
      }
    }
    ParsedDocument parsed = TikaSections.build(file, type, format, collector, metadata);
    return format == Format.PDF && tables ? withTables(file, parsed) : parsed;
  }

  /** The PDF with each page laid out as a table read row by row ({@link PdfTables}); as it was when none is. */
  private static ParsedDocument withTables(Path file, ParsedDocument parsed) {
    Map<Integer, TableRows> tables;
    try {
      tables = PdfTables.find(file);
    } catch (IOException | RuntimeException e) {
      return parsed; // Tika read the text already; tables are a refinement
    }
    if (tables.isEmpty()) {
      return parsed;
    }
    List<Section> sections = new ArrayList<>(parsed.sections().size());
    for (Section s : parsed.sections()) {
      Integer page = s.provenance().pageStart();
      TableRows table = page == null ? null : tables.get(page);
      if (table == null) {
        sections.add(s);
        continue;
      }
      if (!table.around().isEmpty()) {
        sections.add(new Section(table.around(), s.provenance()));
      }
      sections.add(new Section(table.text(), s.provenance(), table));
    }
    return new ParsedDocument(parsed.mediaType(), parsed.title(), parsed.author(), parsed.language(),
        parsed.pageCount(), sections, parsed.metadata(), parsed.warnings());
  }

  private ParseContext context(Format format) {
    ParseContext context = new ParseContext();
    context.set(EncodingDetector.class, encodings);
    TesseractOCRConfig ocr = new TesseractOCRConfig();
    if (format == Format.PDF) {
      PDFParserConfig pdf = new PDFParserConfig();
      pdf.setSortByPosition(false); // Tika's default: keeps each column of a multi-column page together
      pdf.setExtractInlineImages(false);
      pdf.setExtractBookmarksText(false);
      pdf.setOcrStrategy(Ocr.available() ? PDFParserConfig.OCR_STRATEGY.AUTO : PDFParserConfig.OCR_STRATEGY.NO_OCR);
      context.set(PDFParserConfig.class, pdf);
    } else if (format == Format.DOCUMENT) {
      ocr.setSkipOcr(true); // images inside office files and e-mails are not OCR'd
      context.set(org.apache.tika.parser.Parser.class, tika); // e-mail attachments, embedded files
    }
    context.set(TesseractOCRConfig.class, ocr);
    return context;
  }

  private static Split split(MediaType type, Format format) {
    String name = type.getBaseType().toString();
    if (format == Format.PDF) {
      return Split.PAGES;
    }
    boolean slides = name.contains("presentationml") || name.contains("ms-powerpoint")
        || name.contains("opendocument.presentation");
    return slides ? Split.SLIDES : Split.HEADINGS;
  }

  private static ParseFailure unsupported(MediaType type) {
    String name = type.getBaseType().toString();
    if (name.equals("application/octet-stream")) {
      return new ParseFailure(FailureKind.UNSUPPORTED, "the file type could not be recognised "
          + "(application/octet-stream): it is not a document, a text, a transcript or source code");
    }
    String hint = type.getType().equals("image") ? "; images can only be read with OCR: " + Ocr.INSTALL_HINT : "";
    return new ParseFailure(FailureKind.UNSUPPORTED, "files of type " + name + " are not supported" + hint);
  }
}
