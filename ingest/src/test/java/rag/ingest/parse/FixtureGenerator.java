package rag.ingest.parse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Writes the binary fixtures that are generated rather than copied (PDFs, office files, hostile
 * files) into {@code src/test/resources/fixtures}. Not a test: run it by hand after changing it
 * ({@code java -cp <test classpath> rag.ingest.parse.FixtureGenerator <fixtures dir>}), then
 * update the {@code .expected.json} files. Text fixtures are written by hand and committed as they are.
 */
public final class FixtureGenerator {
  private static final PDType1Font HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

  private FixtureGenerator() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures");
    Files.createDirectories(dir);
    Files.write(dir.resolve("report-blank-page.pdf"), reportWithBlankPage());
    Files.write(dir.resolve("two-columns.pdf"), twoColumns());
    Files.write(dir.resolve("encrypted-user-password.pdf"), encryptedPdf());
    byte[] report = Files.readAllBytes(dir.resolve("us-scotus-transcript-p1.pdf"));
    Files.write(dir.resolve("truncated-half.pdf"), Arrays.copyOf(report, report.length / 2));
    Files.write(dir.resolve("handbook.docx"), handbookDocx());
    Files.write(dir.resolve("quarterly.pptx"), quarterlyPptx());
    Files.write(dir.resolve("budget.xlsx"), budgetXlsx());
    Files.write(dir.resolve("minutes.odt"), minutesOdt());
    Files.write(dir.resolve("encrypted-password.docx"), encryptedDocx());
    Files.write(dir.resolve("empty.txt"), new byte[0]);
    Files.write(dir.resolve("photo-named-as.docx"), tinyPng());
    Files.write(dir.resolve("random-bytes.bin"), randomBytes(2048));
    byte[] docx = Files.readAllBytes(dir.resolve("handbook.docx"));
    Files.write(dir.resolve("truncated-half.docx"), Arrays.copyOf(docx, docx.length / 2));
    Files.write(dir.resolve("zip-bomb.docx"), zipBombDocx(docx));
    Files.write(dir.resolve("latin1-notes.txt"),
        "Notes du café: la réunion est reportée à jeudi. Prévoir le budget de l'été.\n"
            .getBytes(StandardCharsets.ISO_8859_1));
  }

  static byte[] reportWithBlankPage() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      doc.getDocumentInformation().setTitle("Procès-verbal du comité de démolition");
      doc.getDocumentInformation().setAuthor("Hélène Côté");
      page(doc, List.of(
          "Procès-verbal de la séance du 20 juin 2023.",
          "Le comité a étudié la demande de démolition du garage.",
          "La demande est acceptée à l'unanimité."));
      doc.addPage(new PDPage(PDRectangle.LETTER)); // page 2 has no text at all
      page(doc, List.of(
          "Période de questions: aucune question.",
          "La séance est levée à 19 h 45."));
      return save(doc);
    }
  }

  static byte[] twoColumns() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.LETTER);
      doc.addPage(page);
      try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
        // Each column is written top to bottom, the left one first, as pdfTeX does; the lines of
        // the two columns share baselines, so sorting by position would interleave them.
        column(out, 50, List.of("Left column starts here.", "Alpha is the first", "letter of the left.",
            "The left column ends."));
        column(out, 320, List.of("Right column starts here.", "Omega is the last", "letter of the right.",
            "The right column ends."));
      }
      return save(doc);
    }
  }

  static byte[] encryptedPdf() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      page(doc, List.of("This text is only readable with the password."));
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
          new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      return save(doc);
    }
  }

  private static void page(PDDocument doc, List<String> lines) throws IOException {
    PDPage page = new PDPage(PDRectangle.LETTER);
    doc.addPage(page);
    try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
      column(out, 72, lines);
    }
  }

  private static void column(PDPageContentStream out, float x, List<String> lines) throws IOException {
    out.beginText();
    out.setFont(HELVETICA, 12);
    out.setLeading(16);
    out.newLineAtOffset(x, 700);
    for (String line : lines) {
      out.showText(line);
      out.newLine();
    }
    out.endText();
  }

  private static byte[] save(PDDocument doc) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    doc.save(bytes);
    return bytes.toByteArray();
  }

  static byte[] handbookDocx() throws IOException {
    try (XWPFDocument doc = new XWPFDocument()) {
      doc.getProperties().getCoreProperties().setTitle("Employee Handbook");
      doc.getProperties().getCoreProperties().setCreator("Ada Lovelace");
      addHeadingStyle(doc);
      heading(doc, "Leave");
      doc.createParagraph().createRun().setText("Every employee has twenty-five days of paid leave per year. "
          + "Leave must be requested two weeks in advance.");
      heading(doc, "Expenses");
      doc.createParagraph().createRun().setText("Travel expenses are refunded within thirty days. "
          + "Keep every receipt.");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.write(bytes);
      return bytes.toByteArray();
    }
  }

  /** Word names the style "heading 1"; Tika turns paragraphs in it into {@code <h1>}. */
  private static void addHeadingStyle(XWPFDocument doc) {
    CTStyle style = CTStyle.Factory.newInstance();
    style.setStyleId("Heading1");
    style.addNewName().setVal("heading 1");
    style.setType(STStyleType.PARAGRAPH);
    doc.createStyles().addStyle(new XWPFStyle(style));
  }

  private static void heading(XWPFDocument doc, String text) {
    XWPFParagraph p = doc.createParagraph();
    p.setStyle("Heading1");
    p.createRun().setText(text);
  }

  static byte[] quarterlyPptx() throws IOException {
    try (XMLSlideShow show = new XMLSlideShow()) {
      show.getProperties().getCoreProperties().setTitle("Quarterly Review");
      show.getProperties().getCoreProperties().setCreator("Grace Hopper");
      slide(show, "Results", "Revenue grew by twelve percent.");
      slide(show, "Risks", "Supply costs keep rising.");
      slide(show, "Next steps", "Hire two engineers in the spring.");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      show.write(bytes);
      return bytes.toByteArray();
    }
  }

  private static void slide(XMLSlideShow show, String title, String body) {
    XSLFSlide slide = show.createSlide();
    XSLFTextBox titleBox = slide.createTextBox();
    titleBox.setText(title);
    XSLFTextBox bodyBox = slide.createTextBox();
    bodyBox.setText(body);
  }

  static byte[] budgetXlsx() throws IOException {
    try (XSSFWorkbook book = new XSSFWorkbook()) {
      book.getProperties().getCoreProperties().setTitle("Budget 2024");
      XSSFSheet income = book.createSheet("Income");
      row(income, 0, "Source", "Amount");
      row(income, 1, "Grants", "1200");
      row(income, 2, "Donations", "800");
      XSSFSheet costs = book.createSheet("Costs");
      row(costs, 0, "Item", "Amount");
      row(costs, 1, "Rent", "900");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      book.write(bytes);
      return bytes.toByteArray();
    }
  }

  private static void row(XSSFSheet sheet, int index, String a, String b) {
    var row = sheet.createRow(index);
    row.createCell(0).setCellValue(a);
    row.createCell(1).setCellValue(b);
  }

  static byte[] minutesOdt() throws IOException {
    String manifest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
         <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
         <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
         <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
        </manifest:manifest>
        """;
    String meta = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
            office:version="1.2">
         <office:meta><dc:title>Board Minutes</dc:title><meta:initial-creator>Alan Turing</meta:initial-creator>
         <dc:creator>Alan Turing</dc:creator><dc:language>en</dc:language></office:meta>
        </office:document-meta>
        """;
    String content = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
         <office:body><office:text>
          <text:h text:outline-level="1">Attendance</text:h>
          <text:p>Five members attended the meeting. The chair opened it at noon.</text:p>
          <text:h text:outline-level="1">Decisions</text:h>
          <text:p>The board approved the new library hours.</text:p>
         </office:text></office:body>
        </office:document-content>
        """;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      byte[] mimetype = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
      ZipEntry first = new ZipEntry("mimetype");
      first.setMethod(ZipEntry.STORED);
      first.setSize(mimetype.length);
      CRC32 crc = new CRC32();
      crc.update(mimetype);
      first.setCrc(crc.getValue());
      zip.putNextEntry(first);
      zip.write(mimetype);
      entry(zip, "META-INF/manifest.xml", manifest);
      entry(zip, "meta.xml", meta);
      entry(zip, "content.xml", content);
    }
    return bytes.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] encryptedDocx() throws Exception {
    byte[] plain = handbookDocx();
    try (POIFSFileSystem fs = new POIFSFileSystem()) {
      EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
      Encryptor encryptor = info.getEncryptor();
      encryptor.confirmPassword("secret");
      try (OutputStream out = encryptor.getDataStream(fs)) {
        out.write(plain);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      fs.writeFilesystem(bytes);
      return bytes.toByteArray();
    }
  }

  /** The DOCX with its body replaced by 2 million letters, which deflate to a few kilobytes. */
  static byte[] zipBombDocx(byte[] docx) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(docx));
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.setLevel(9);
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals("word/document.xml")) {
          out.write(("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
              + "<w:body><w:p><w:r><w:t>").getBytes(StandardCharsets.UTF_8));
          byte[] letters = new byte[1 << 20];
          Arrays.fill(letters, (byte) 'a');
          for (int i = 0; i < 2; i++) {
            out.write(letters);
          }
          out.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
        } else {
          in.transferTo(out);
        }
      }
    }
    return bytes.toByteArray();
  }

  /** A 1x1 PNG: an image, whatever its name says. */
  static byte[] tinyPng() {
    return Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(42).nextBytes(bytes);
    bytes[0] = 0x00; // no text-like start
    bytes[1] = (byte) 0xFF;
    return bytes;
  }
}
