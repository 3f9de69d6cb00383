package rag.app.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import rag.storage.problem.ProblemType;

/**
 * Renders one page of a kept PDF to PNG, and finds the page a quoted text is on, with PDFBox (already on the class
 * path through Tika).
 */
final class PdfPages {
  private static final float DPI = 110;

  private PdfPages() {}

  static byte[] render(Path pdf, int page) {
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      if (page < 1 || page > doc.getNumberOfPages()) {
        throw ProblemException.badRequest("illegal page " + page + ", the document has " + doc.getNumberOfPages()
            + " pages");
      }
      BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(page - 1, DPI, ImageType.RGB);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      return png.toByteArray();
    } catch (IOException e) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "the PDF cannot be rendered: " + e.getMessage());
    }
  }

  /**
   * The first page in {@code from..to} whose text holds {@code quote} (whitespace and case aside), or null. A chunk, and
   * so a citation, may span pages; this narrows it to the page of the quoted sentence.
   */
  static Integer locate(Path pdf, String quote, int from, int to) {
    String wanted = normalize(quote);
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      PDFTextStripper stripper = new PDFTextStripper();
      for (int page = Math.max(1, from); page <= Math.min(to, doc.getNumberOfPages()); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        if (normalize(stripper.getText(doc)).contains(wanted)) {
          return page;
        }
      }
      return null;
    } catch (IOException e) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "the PDF cannot be read: " + e.getMessage());
    }
  }

  private static String normalize(String text) {
    return text.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
  }
}
