package rag.app.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Renders one page of a kept PDF to PNG with PDFBox (already on the class path through Tika). */
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
}
