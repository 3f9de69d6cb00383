package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Uploads over HTTP through the real pipeline (Tika, chunkers, Lucene, SQLite, ONNX embeddings). */
@QuarkusTest
@WithTestResource(TempDataDir.class)
public class IngestApiTest {

  public static String newCollection() {
    return "ingest-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static JsonPath awaitJob(String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonPath job = given().when().get("/api/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
      String state = job.getString("state");
      if (!state.equals("queued") && !state.equals("running")) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %s still %s", jobId, state).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  static byte[] zip(Map<String, String> entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void uploadedFilesBecomeSearchableDocumentsAndTheJobSaysSo() throws Exception {
    String collection = newCollection();
    String text = "The archive keeps every page. Hybrid retrieval finds the needle in the haystack.";
    JsonPath accepted = given().multiPart("file", "notes.txt", text.getBytes(StandardCharsets.UTF_8), "text/plain")
        .multiPart("file", "empty.txt", new byte[0], "text/plain")
        .multiPart("path", "team/")
        .when().post("/api/collections/" + collection + "/documents")
        .then().statusCode(202).header("Location", containsString("/api/jobs/"))
        .body("jobId", notNullValue())
        .body("files[0].name", equalTo("notes.txt"))
        .body("files[0].status", equalTo("queued"))
        .body("files[1].status", equalTo("failed"))
        .body("files[1].error.type", equalTo("/problems/empty"))
        .extract().jsonPath();

    JsonPath job = awaitJob(accepted.getString("jobId"));
    assertThat(job.getString("state")).isEqualTo("partial");
    assertThat(job.getInt("progress.done")).isEqualTo(2);
    assertThat(job.getString("files[0].status")).isEqualTo("done");
    assertThat(job.getString("files[0].outcome")).isEqualTo("created");
    assertThat(job.getString("files[0].sourcePath")).isEqualTo("team/notes.txt");
    assertThat(job.getInt("files[0].chunks")).isEqualTo(1);
    String documentId = job.getString("files[0].documentId");

    given().when().get("/api/documents/" + documentId).then().statusCode(200)
        .body("status", equalTo("ready")).body("mediaType", containsString("text/plain"));
    given().when().get("/api/documents/" + documentId + "/chunks").then().statusCode(200)
        .body("[0].text", containsString("needle in the haystack"));

    // the same bytes again: unchanged, nothing created
    JsonPath again = given().multiPart("file", "notes.txt", text.getBytes(StandardCharsets.UTF_8), "text/plain")
        .multiPart("path", "team/")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath();
    JsonPath second = awaitJob(again.getString("jobId"));
    assertThat(second.getString("files[0].status")).isEqualTo("unchanged");
    assertThat(second.getString("files[0].documentId")).isEqualTo(documentId);

    // new bytes under the same path replace the document, keeping its id
    JsonPath replaced = awaitJob(given().multiPart("file", "notes.txt", "Completely new words.".getBytes(), "text/plain")
        .multiPart("path", "team/")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract()
        .jsonPath().getString("jobId"));
    assertThat(replaced.getString("files[0].outcome")).isEqualTo("replaced");
    assertThat(replaced.getString("files[0].documentId")).isEqualTo(documentId);
    given().when().get("/api/documents/" + documentId).then().body("version", equalTo(2));
    given().when().get("/api/collections/" + collection).then().body("documents", equalTo(1));
  }

  @Test
  void zipArchivesAreExpandedAndHostileMembersFailAlone() throws Exception {
    String collection = newCollection();
    byte[] zip = zip(Map.of("docs/a.md", "# Alpha\n\nAlpha text.", "../evil.txt", "evil", "docs/b.txt", "Beta text."));
    JsonPath accepted = given().multiPart("file", "bundle.zip", zip, "application/zip")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202).extract().jsonPath();
    JsonPath job = awaitJob(accepted.getString("jobId"));

    List<Map<String, Object>> files = job.getList("files");
    assertThat(files).extracting(f -> f.get("sourcePath") + "=" + f.get("status"))
        .containsExactlyInAnyOrder("docs/a.md=done", "docs/b.txt=done", "../evil.txt=failed");
    assertThat(job.getString("state")).isEqualTo("partial");
  }

  @Test
  void badUploadsAreProblemDetails() {
    given().contentType("multipart/form-data").multiPart("path", "x")
        .when().post("/api/collections/" + newCollection() + "/documents")
        .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("'file'"));
    given().multiPart("file", "a.txt", "x".getBytes(), "text/plain")
        .when().post("/api/collections/bad..name!/documents")
        .then().statusCode(400).contentType("application/problem+json");
    given().contentType("application/json").body(Map.of("path", "/etc"))
        .when().post("/api/collections/" + newCollection() + "/ingest-path")
        .then().statusCode(403).contentType("application/problem+json")
        .body("detail", containsString("rag.ingest.allowed-roots"));
    given().when().get("/api/jobs/no-such-job").then().statusCode(404).contentType("application/problem+json");
    given().when().get("/api/jobs").then().statusCode(200);
  }
}
