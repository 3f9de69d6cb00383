package rag.app.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Access control through the HTTP API with a bootstrap admin key: 401 without a valid key, 404 for anything in a
 * collection the key cannot read (exactly the answer for something that does not exist), 403 for an action above its
 * level, lists that show only readable collections, keys that cannot grant more than they hold, revocation and expiry
 * that take effect within seconds, and secrets that never come back.
 */
@QuarkusTest
@TestProfile(SecurityApiTest.Secured.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class SecurityApiTest {
  public static final String ADMIN = "bootstrap-admin-secret-for-the-security-test-0001";
  static final String DATA_DIR = "target/security-test-" + System.nanoTime();

  public static class Secured implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.data-dir", DATA_DIR, "rag.security.bootstrap-admin-key", ADMIN,
          "rag.security.pepper", "a-pepper-only-this-test-uses-0123456789");
    }
  }

  private String alphaDoc;
  private String betaDoc;
  private String betaJob;
  private String reader;
  private String writer;

  public static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }

  public static JsonPath createKey(String by, String body) {
    return as(by).contentType("application/json").body(body).when().post("/api/admin/keys")
        .then().statusCode(201).extract().jsonPath();
  }

  private String upload(String collection, String name, String text) throws InterruptedException {
    String job = as(ADMIN).multiPart("file", name, text.getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/" + collection + "/documents").then().statusCode(202)
        .extract().jsonPath().getString("jobId");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      JsonPath state = as(ADMIN).when().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
      if (state.getString("state").equals("succeeded")) {
        return job;
      }
      assertThat(System.nanoTime()).as("job %s is %s", job, state.getString("state")).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private String documentOf(String collection) {
    return as(ADMIN).when().get("/api/collections/" + collection + "/documents").then().statusCode(200)
        .extract().jsonPath().getString("documents[0].id");
  }

  /** Made by the first test that runs (RestAssured knows the port only once a test method runs). */
  @BeforeEach
  void twoCollectionsAndTwoKeys() throws Exception {
    if (reader != null) {
      return;
    }
    upload("alpha", "alpha.txt", "The alpha lighthouse keeper logs the tides every morning.");
    betaJob = upload("beta", "beta.txt", "The beta lighthouse budget is secret and rises by nine percent.");
    alphaDoc = documentOf("alpha");
    betaDoc = documentOf("beta");
    reader = createKey(ADMIN, "{\"name\": \"alpha reader\", \"grants\": {\"alpha\": \"read\"}}").getString("key");
    writer = createKey(ADMIN, "{\"name\": \"beta writer\", \"grants\": {\"beta\": \"write\"}}").getString("key");
  }

  @Test
  void withoutAValidKeyEverythingButHealthIs401() {
    for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer rk_0123456789ab_x"),
        given().header("X-API-Key", "not-a-key"), given().header("Authorization", "Bearer " + ADMIN + "x"))) {
      anonymous.when().get("/api/collections").then().statusCode(401).contentType("application/problem+json")
          .header("WWW-Authenticate", "Bearer").body("type", equalTo("/problems/unauthorized"));
    }
    given().when().get("/api/collections/alpha/documents").then().statusCode(401);
    given().when().get("/v1/models").then().statusCode(401);
    given().when().get("/q/health/ready").then().statusCode(200);
    given().header("X-API-Key", ADMIN).when().get("/api/collections").then().statusCode(200);
  }

  @Test
  void aKeySeesOnlyTheCollectionsItMayRead() {
    assertThat(as(reader).when().get("/api/collections").then().statusCode(200).extract().jsonPath()
        .getList("name", String.class)).containsExactly("alpha");
    assertThat(as(ADMIN).when().get("/api/collections").then().statusCode(200).extract().jsonPath()
        .getList("name", String.class)).contains("alpha", "beta");
    assertThat(as(reader).when().get("/v1/models").then().statusCode(200).extract().jsonPath()
        .getList("data.id", String.class)).isNotEmpty().allMatch(id -> id.endsWith("/alpha"));

    as(reader).contentType("application/json").body("{\"query\": \"lighthouse\"}")
        .when().post("/api/collections/alpha/search").then().statusCode(200)
        .body("results.size()", greaterThan(0))
        .body("results.chunkId", everyItem(startsWith(alphaDoc)));
    as(reader).when().get("/api/documents/" + alphaDoc + "/chunks").then().statusCode(200);
  }

  @Test
  void whatAKeyCannotReadAnswersExactlyLikeWhatDoesNotExist() {
    // {path with the hidden thing's id, its id, the same path with an id that does not exist, that id}
    for (String[] c : new String[][] {
        {"/api/collections/beta", "beta", "/api/collections/no-such-collection", "no-such-collection"},
        {"/api/documents/" + betaDoc, betaDoc, "/api/documents/no-such-document", "no-such-document"},
        {"/api/documents/" + betaDoc + "/original", betaDoc, "/api/documents/no-such-document/original",
            "no-such-document"},
        {"/api/jobs/" + betaJob, betaJob, "/api/jobs/no-such-job", "no-such-job"}}) {
      JsonPath hidden = as(reader).when().get(c[0]).then().statusCode(404).extract().jsonPath();
      JsonPath missing = as(reader).when().get(c[2]).then().statusCode(404).extract().jsonPath();
      assertThat(hidden.getString("type")).isEqualTo(missing.getString("type")).isEqualTo("/problems/not-found");
      assertThat(hidden.getString("detail").replace(c[1], "ID")).as(c[0])
          .isEqualTo(missing.getString("detail").replace(c[3], "ID"));
    }
    as(reader).contentType("application/json").body("{\"query\": \"budget\"}")
        .when().post("/api/collections/beta/search").then().statusCode(404);
    as(reader).contentType("application/json").body("{\"question\": \"What is the budget?\"}")
        .when().post("/api/collections/beta/query").then().statusCode(404);
    as(reader).contentType("application/json")
        .body("{\"model\": \"qwen3/beta\", \"messages\": [{\"role\": \"user\", \"content\": \"budget?\"}]}")
        .when().post("/v1/chat/completions").then().statusCode(404);
    assertThat(as(reader).when().get("/api/jobs").then().statusCode(200).extract().jsonPath()
        .getList("collection", String.class)).isNotEmpty().containsOnly("alpha");
  }

  @Test
  void actionsAboveTheKeysLevelAre403() {
    as(reader).multiPart("file", "x.txt", "more".getBytes(StandardCharsets.UTF_8), "text/plain")
        .when().post("/api/collections/alpha/documents").then().statusCode(403)
        .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"))
        .body("detail", containsString("needs write"));
    as(reader).when().delete("/api/documents/" + alphaDoc).then().statusCode(403);
    as(reader).when().delete("/api/collections/alpha").then().statusCode(403);
    as(reader).contentType("application/json").body("{\"name\": \"alpha\"}").when().post("/api/collections")
        .then().statusCode(403);
    as(writer).when().delete("/api/collections/beta").then().statusCode(403).body("detail", containsString("admin"));
    as(writer).contentType("application/json").body("{\"name\": \"gamma\"}").when().post("/api/collections")
        .then().statusCode(403);
    as(reader).when().post("/api/admin/optimize").then().statusCode(403);
    as(reader).contentType("application/json").body("{}").when().post("/api/eval/niah").then().statusCode(403)
        .body("detail", containsString("eval"));
    as(reader).when().get("/api/admin/keys").then().statusCode(403).body("detail", containsString("keys"));
  }

  @Test
  void aKeyCannotGrantMoreThanItHolds() {
    String keyManager = createKey(ADMIN, "{\"name\": \"manager\", \"grants\": {\"alpha\": \"write\"},"
        + " \"scopes\": [\"keys\"]}").getString("key");
    createKey(keyManager, "{\"name\": \"sub\", \"grants\": {\"alpha\": \"read\"}}");
    as(keyManager).contentType("application/json").body("{\"name\": \"up\", \"grants\": {\"alpha\": \"admin\"}}")
        .when().post("/api/admin/keys").then().statusCode(403);
    as(keyManager).contentType("application/json").body("{\"name\": \"up\", \"grants\": {\"*\": \"read\"}}")
        .when().post("/api/admin/keys").then().statusCode(403);
    as(keyManager).contentType("application/json").body("{\"name\": \"up\", \"scopes\": [\"audit\"]}")
        .when().post("/api/admin/keys").then().statusCode(403);
    String sub = createKey(keyManager, "{\"name\": \"sub2\", \"grants\": {\"alpha\": \"read\"}}").getString("id");
    List<String> seen = as(keyManager).when().get("/api/admin/keys").then().statusCode(200).extract().jsonPath()
        .getList("id", String.class);
    assertThat(seen).contains(sub).doesNotContain("bootstrap", writer.substring(3, 15));
    as(keyManager).when().delete("/api/admin/keys/bootstrap").then().statusCode(404);
    as(keyManager).when().delete("/api/admin/keys/" + writer.substring(3, 15)).then().statusCode(404);
    as(keyManager).when().delete("/api/admin/keys/" + sub).then().statusCode(204);
    as(ADMIN).contentType("application/json").body("{\"name\": \"bad\", \"grants\": \"all\"}")
        .when().post("/api/admin/keys").then().statusCode(400).contentType("application/problem+json")
        .body("detail", containsString("grants"));
    as(ADMIN).contentType("application/json").body("{\"name\": \"bad\", \"grant\": {\"alpha\": \"read\"}}")
        .when().post("/api/admin/keys").then().statusCode(400).body("detail", containsString("unknown field 'grant'"));
    as(ADMIN).contentType("application/json").body("{\"name\": \"bad\", \"grants\": {\"alpha\": \"owner\"}}")
        .when().post("/api/admin/keys").then().statusCode(400).body("detail", containsString("owner"));
  }

  @Test
  void revokedAndExpiredKeysStopWorkingWithinSeconds() throws Exception {
    JsonPath made = createKey(ADMIN, "{\"name\": \"short-lived\", \"grants\": {\"alpha\": \"read\"}}");
    String key = made.getString("key");
    as(key).when().get("/api/collections").then().statusCode(200);
    as(ADMIN).when().delete("/api/admin/keys/" + made.getString("id")).then().statusCode(204);
    as(ADMIN).when().delete("/api/admin/keys/" + made.getString("id")).then().statusCode(404);
    awaitStatus(key, 401, 10);

    String expiring = createKey(ADMIN, "{\"name\": \"expiring\", \"grants\": {\"alpha\": \"read\"}, \"expiresAt\": \""
        + Instant.now().plusSeconds(3) + "\"}").getString("key");
    as(expiring).when().get("/api/collections").then().statusCode(200);
    awaitStatus(expiring, 401, 15);
  }

  private static void awaitStatus(String key, int status, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    int last;
    while ((last = as(key).when().get("/api/collections").then().extract().statusCode()) != status) {
      assertThat(System.nanoTime()).as("still %d after %d s", last, seconds).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void theAuditLogRecordsWhoDidWhatAndEveryRefusal() {
    String readerId = reader.substring(3, 15);
    as(reader).contentType("application/json").body("{\"question\": \"Who logs the tides?\"}")
        .when().post("/api/collections/alpha/query").then().statusCode(200);
    as(reader).when().get("/api/documents/" + betaDoc).then().statusCode(404);
    as(reader).when().delete("/api/collections/alpha").then().statusCode(403);
    as("rk_0123456789ab_guessed-secret").when().get("/api/collections/alpha").then().statusCode(401);

    List<Map<String, Object>> mine = as(ADMIN).queryParam("key", readerId).when().get("/api/admin/audit")
        .then().statusCode(200).extract().jsonPath().getList("$");
    assertThat(mine).anySatisfy(e -> {
      assertThat(e).containsEntry("action", "query").containsEntry("collection", "alpha").containsEntry("outcome",
          "200").containsKey("address");
      assertThat((String) e.get("detail")).startsWith("cited ").contains(alphaDoc);
    });
    assertThat(mine).anySatisfy(e -> assertThat(e).containsEntry("action", "access-denied")
        .containsEntry("outcome", "404").containsEntry("target", "GET /api/documents/" + betaDoc));
    assertThat(mine).anySatisfy(e -> assertThat(e).containsEntry("action", "access-denied")
        .containsEntry("outcome", "403").containsEntry("collection", "alpha"));
    assertThat(mine).noneSatisfy(e -> assertThat(e).containsEntry("action", "collection-delete"));

    List<Map<String, Object>> alpha = as(ADMIN).queryParam("collection", "alpha").queryParam("limit", 1000)
        .when().get("/api/admin/audit").then().statusCode(200).extract().jsonPath().getList("$");
    assertThat(alpha).anySatisfy(e -> assertThat(e).containsEntry("action", "upload").containsEntry("outcome", "202")
        .containsEntry("keyId", "bootstrap"));
    as(ADMIN).when().get("/api/admin/audit/verify").then().statusCode(200).body("intact", equalTo(true));
    as(reader).when().get("/api/admin/audit").then().statusCode(403).body("detail", containsString("audit"));
    List<Map<String, Object>> all = as(ADMIN).queryParam("limit", 10_000).when().get("/api/admin/audit").then()
        .statusCode(200).extract().jsonPath().getList("$");
    assertThat(all).anySatisfy(e -> assertThat(e).containsEntry("action", "access-denied")
        .containsEntry("outcome", "401").containsEntry("target", "GET /api/collections/alpha")
        .doesNotContainKey("keyId"));
  }

  @Test
  void anEvaluationReadsOnlyWhatItsKeyMayRead() {
    String evaluator = createKey(ADMIN, "{\"name\": \"evaluator\", \"grants\": {\"alpha\": \"read\"},"
        + " \"scopes\": [\"eval\"]}").getString("key");
    String hidden = as(evaluator).contentType("application/json").body("{\"collection\": \"beta\"}")
        .when().post("/api/eval/niah").then().statusCode(400).extract().jsonPath().getString("detail");
    String missing = as(evaluator).contentType("application/json").body("{\"collection\": \"no-such\"}")
        .when().post("/api/eval/niah").then().statusCode(400).extract().jsonPath().getString("detail");
    assertThat(hidden.replace("beta", "X")).isEqualTo(missing.replace("no-such", "X"));
    as(evaluator).contentType("application/json").body("{\"haystackPath\": \"/tmp\"}")
        .when().post("/api/eval/niah").then().statusCode(403).body("detail", containsString("ingest-path"));
    as(evaluator).contentType("application/json").body("{\"datasetPath\": \"/tmp\"}")
        .when().post("/api/eval/retrieval").then().statusCode(403).body("detail", containsString("ingest-path"));
    // drafting stores a set with the collection: reading it is not enough
    as(evaluator).contentType("application/json").body("{\"collection\": \"alpha\", \"name\": \"drafted\"}")
        .when().post("/api/eval/draft").then().statusCode(403).contentType("application/problem+json")
        .body("detail", containsString("drafting stores a question set with collection 'alpha': this key may not"
            + " write it"));
  }

  @Test
  void conversationsBelongToTheKeyThatStartedThem() {
    String colleague = createKey(ADMIN, "{\"name\": \"colleague\", \"grants\": {\"alpha\": \"admin\"}}")
        .getString("key");
    String stream = as(reader).contentType("application/json").accept("text/event-stream")
        .body("{\"message\": \"Who logs the tides?\"}").when().post("/api/collections/alpha/chat")
        .then().statusCode(200).extract().asString();
    Matcher started = Pattern.compile("\"conversationId\":\"([0-9a-f-]{36})\"").matcher(stream);
    assertThat(started.find()).as(stream).isTrue();
    String id = started.group(1);

    as(reader).when().get("/api/conversations/" + id).then().statusCode(200).body("owner", equalTo(
        reader.substring(3, 15)));
    assertThat(as(reader).when().get("/api/conversations").then().statusCode(200).extract().jsonPath()
        .getList("id", String.class)).contains(id);
    as(colleague).when().get("/api/conversations/" + id).then().statusCode(404);
    assertThat(as(colleague).when().get("/api/conversations").then().statusCode(200).extract().jsonPath()
        .getList("id", String.class)).doesNotContain(id);
    as(colleague).contentType("application/json").body("{\"conversationId\": \"" + id + "\", \"message\": \"more\"}")
        .when().post("/api/collections/alpha/chat").then().statusCode(404);
  }

  @Test
  void secretsAreShownOnceAndStoredNowhere() throws Exception {
    JsonPath made = createKey(ADMIN, "{\"name\": \"once\", \"grants\": {\"alpha\": \"read\"}}");
    String key = made.getString("key");
    assertThat(key).startsWith("rk_" + made.getString("id") + "_");
    String secret = key.substring(("rk_" + made.getString("id") + "_").length());
    assertThat(secret.length()).as("256 random bits, base64url").isEqualTo(43);
    String listing = as(ADMIN).when().get("/api/admin/keys").then().statusCode(200).extract().asString();
    assertThat(listing).contains(made.getString("id")).doesNotContain(secret).doesNotContain(ADMIN)
        .doesNotContain("secretHash").doesNotContain("\"key\"");
    try (Stream<Path> files = Files.walk(Path.of(DATA_DIR))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as("%s", file).doesNotContain(secret).doesNotContain(ADMIN);
      }
    }
  }
}
