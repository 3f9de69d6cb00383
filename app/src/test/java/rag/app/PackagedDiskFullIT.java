package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data directory's disk fills up (issue 16): the packaged service runs on a 64 MB tmpfs that a filler file fills
 * to the last megabyte. An upload gets 507 problem+json with Retry-After and leaves nothing spooled; reads go on;
 * once the filler is gone the same upload is accepted, ingested and searchable. Mounting needs root (CI runs as root);
 * elsewhere the test is skipped, saying so.
 */
class PackagedDiskFullIT {
  private Path home;
  private Path mount;
  private boolean mounted;
  private PackagedService service;

  @AfterEach
  void cleanUp() throws Exception {
    if (service != null) {
      service.close();
      service.awaitExit(java.time.Duration.ofSeconds(30));
    }
    if (mounted) {
      run("umount", mount.toString());
    }
    if (home != null) {
      PackagedJourney.deleteTree(home);
    }
  }

  @Test
  void anUploadToAFullDiskGets507AndLeavesNothingAndWorksOnceSpaceIsFreed() throws Exception {
    home = Files.createTempDirectory("rag-disk-full");
    mount = home.resolve("data");
    Files.createDirectories(mount);
    mounted = run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString()) == 0;
    assumeTrue(mounted, "mounting a tmpfs for the data directory needs root (mount -t tmpfs); not run here");
    service = PackagedService.start(home, Map.of());
    String seed = upload("seed.txt", "The harbour master keeps the tide tables.".getBytes(StandardCharsets.UTF_8))
        .then().statusCode(202).extract().jsonPath().getString("jobId");
    assertThat(awaitJob(seed).getString("state")).isEqualTo("succeeded");

    FileStore store = Files.getFileStore(mount);
    Path filler = mount.resolve("filler");
    long fill = Math.max(0, store.getUsableSpace() - 1_000_000);
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      byte[] block = new byte[1 << 20]; // written, not a sparse length: tmpfs counts only written pages
      for (long written = 0; written < fill; written += block.length) {
        f.write(block, 0, (int) Math.min(block.length, fill - written));
      }
      f.getFD().sync();
    }
    byte[] big = ("The lighthouse at the end of the pier was painted red in 1921. ".repeat(60_000))
        .getBytes(StandardCharsets.UTF_8); // about 3.8 MB: more than is left
    Response full = upload("big.txt", big);
    assertThat(full.statusCode()).as(full.asString()).isEqualTo(507);
    assertThat(full.contentType()).startsWith("application/problem+json");
    assertThat(full.header("Retry-After")).isEqualTo("60");
    assertThat(full.jsonPath().getString("type")).isEqualTo("/problems/insufficient-storage");
    try (Stream<Path> spooled = Files.walk(mount.resolve("spool"))) {
      assertThat(spooled.filter(Files::isRegularFile).toList()).as("nothing half-written is left").isEmpty();
    }
    given().spec(service.http()).get("/api/collections/disk").then().statusCode(200);
    search("tide tables").then().statusCode(200);

    Files.delete(filler);
    String again = upload("big.txt", big).then().statusCode(202).extract().jsonPath().getString("jobId");
    assertThat(awaitJob(again).getString("state")).isEqualTo("succeeded");
    assertThat(search("painted red in 1921").then().statusCode(200).extract().jsonPath()
        .getList("results.document.sourcePath")).contains("big.txt");
    assertThat(service.errorLines()).isEmpty();
  }

  private Response upload(String name, byte[] bytes) {
    return given().spec(service.http()).multiPart("file", name, bytes, "text/plain")
        .post("/api/collections/disk/documents").then().extract().response();
  }

  private Response search(String query) {
    return given().spec(service.http()).contentType(ContentType.JSON).body(Map.of("query", query, "retriever", "bm25"))
        .post("/api/collections/disk/search").then().extract().response();
  }

  private JsonPath awaitJob(String jobId) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      JsonPath job = given().spec(service.http()).get("/api/jobs/" + jobId).then().statusCode(200).extract()
          .jsonPath();
      if (!List.of("queued", "running").contains(job.getString("state"))) {
        return job;
      }
      assertThat(System.nanoTime()).isLessThan(deadline);
      PackagedService.sleep(200);
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
