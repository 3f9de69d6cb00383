package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The original of a document is kept, served, rendered page by page for PDFs, and removed with the document. */
@QuarkusTest
@WithTestResource(TempDataDir.class)
class DocumentFilesTest {
  /** A PDF with one page per text, each sentence on a line of its own (real text, extractable by Tika and PDFBox). */
  static byte[] pdf(String... pages) throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.setLeading(16);
          content.newLineAtOffset(60, 720);
          for (String sentence : text.split("(?<=\\.) ")) {
            content.showText(sentence);
            content.newLine();
          }
          content.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void theOriginalIsServedAndAPdfPageRendersUntilTheDocumentIsDeleted() throws Exception {
    byte[] bytes = pdf("The first page is about harbours.", "The second page is about lanterns.");
    String collection = IngestApiTest.newCollection();
    JsonPath job = IngestApiTest.awaitJob(given().multiPart("file", "guide.pdf", bytes, "application/pdf")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath()
        .getString("jobId"));
    String id = job.getString("files[0].documentId");

    byte[] original = given().when().get("/api/documents/" + id + "/original").then().statusCode(200)
        .contentType("application/pdf").header("Content-Disposition", containsString("guide.pdf"))
        .extract().asByteArray();
    assertThat(original).isEqualTo(bytes);
    byte[] png = given().when().get("/api/documents/" + id + "/pages/2").then().statusCode(200)
        .contentType("image/png").extract().asByteArray();
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    given().when().get("/api/documents/" + id + "/pages/3").then().statusCode(400)
        .contentType("application/problem+json").body("detail", containsString("has 2 pages"));

    given().queryParam("text", "about  LANTERNS").queryParam("from", 1).queryParam("to", 2)
        .when().get("/api/documents/" + id + "/pages/locate").then().statusCode(200).body("page", Matchers.is(2));
    given().queryParam("text", "about lanterns").queryParam("to", 1)
        .when().get("/api/documents/" + id + "/pages/locate").then().statusCode(404)
        .contentType("application/problem+json").body("detail", containsString("holds the text"));
    given().queryParam("text", "lanterns").queryParam("from", "second")
        .when().get("/api/documents/" + id + "/pages/locate").then().statusCode(400)
        .contentType("application/problem+json").body("detail", containsString("illegal value"));

    given().when().delete("/api/documents/" + id).then().statusCode(204);
    given().when().get("/api/documents/" + id + "/original").then().statusCode(404);
  }
}
