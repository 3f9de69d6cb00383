package rag.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import rag.query.generate.ScriptedModelServer.Reply;

/**
 * The web page at / in headless Chromium against the running app: upload a PDF, a transcript and an empty file,
 * watch them become searchable, ask, open citations at the cited page and time, read the plan and the prompt,
 * reopen the conversation, stream a model's answer, run a NIAH grid and read its report, delete the collection.
 * Each view is saved under target/screenshots.
 */
@QuarkusTest
@TestProfile(WebUiTest.Profile.class)
@WithTestResource(TempDataDir.class)
@WithTestResource(ScriptedModel.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiTest {
  static final String COLLECTION = "harbour";
  static final String LIGHTHOUSE = "The lighthouse keeper painted the lantern room green in 1887 to match the signal flags.";
  static final String FOGHORN = "Margaret Olsen repaired the foghorn at the north pier in March.";
  static final int FOGHORN_CUE = 36;
  static final int CUE_SECONDS = 15;

  /** MiniLM for speed, and a fresh application (and data directory) of its own. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rag.embedding.model", "all-minilm-l6-v2-q");
    }
  }

  @TestHTTPResource("/")
  URL root;

  static Browser browser;
  static Path files;

  @BeforeAll
  static void startBrowser() throws IOException {
    browser = Browser.start();
    files = Files.createTempDirectory("rag-web-files");
    Files.write(files.resolve("guide.pdf"), DocumentFilesTest.pdf(
        "The harbour was dredged in 1850. Ships from the north moored at the long quay.",
        LIGHTHOUSE + " The lamp burned whale oil until 1901.",
        "The fish market opens at dawn. Prices are chalked on a slate by the door."));
    Files.writeString(files.resolve("interview.vtt"), transcript());
    Files.write(files.resolve("empty.txt"), new byte[0]);
    Files.writeString(files.resolve("tides.py"), tides());
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @Order(1)
  void anEmptyServiceSaysSoAndShowsProblemDetails() {
    browser.open(root + "");
    assertThat(browser.visible("main .empty").getText()).contains("No collections yet");
    browser.screenshot("collections-empty");

    browser.open(root + "#/eval/20200101-000000-nosuch");
    assertThat(browser.visible(".error .detail").getText()).contains("20200101-000000-nosuch");
  }

  @Test
  @Order(2)
  void uploadShowsEachFileUntilItIsSearchableOrFailedWithItsReason() {
    browser.open(root + "#/collections");
    browser.visible("#new-collection").sendKeys(COLLECTION);
    browser.visible("form.inline-form button[type=submit]").click();
    browser.await("the collection page", d -> d.getCurrentUrl().endsWith("#/collections/" + COLLECTION));

    WebElement input = browser.driver.findElement(By.id("upload-files"));
    input.sendKeys(String.join("\n", files.resolve("guide.pdf").toString(), files.resolve("interview.vtt").toString(),
        files.resolve("empty.txt").toString(), files.resolve("tides.py").toString()));

    browser.await("every file final", Duration.ofSeconds(120), d -> {
      List<WebElement> rows = browser.all("#jobs tr[data-status]");
      return rows.size() == 4 && rows.stream().allMatch(r -> List.of("done", "failed")
          .contains(r.getAttribute("data-status"))) ? rows : null;
    });
    assertThat(fileRow("guide.pdf").getAttribute("data-status")).isEqualTo("done");
    assertThat(fileRow("interview.vtt").getAttribute("data-status")).isEqualTo("done");
    WebElement empty = fileRow("empty.txt");
    assertThat(empty.getAttribute("data-status")).isEqualTo("failed");
    assertThat(empty.getText()).contains("the file is empty (0 bytes)");

    browser.await("the documents listed", d -> browser.all("#documents tr[data-document-id]").size() == 3);
    assertThat(documentRow("tides.py").getText()).contains("lines");
    assertThat(documentRow("guide.pdf").getText()).contains("application/pdf", "3 pages");
    assertThat(documentRow("interview.vtt").getText()).contains("text/vtt", "10:00");
    assertThat(browser.visible("#collection-stats").getText()).contains("3 documents");
    browser.screenshot("collection-uploaded");
  }

  @Test
  @Order(3)
  void anExtractiveAnswerCitesThePdfPageAndTheTranscriptTime() {
    browser.open(root + "#/collections/" + COLLECTION);
    browser.visible("a.button[href='#/chat/" + COLLECTION + "']").click();
    assertThat(browser.visible("#profile-note").getText()).contains("extractive");

    ask("What colour did the lighthouse keeper paint the lantern room?");
    WebElement answer = lastAnswer();
    assertThat(answer.getAttribute("data-answer-kind")).isEqualTo("extractive");
    assertThat(answer.getText()).contains("green");
    browser.screenshot("chat-extractive");

    citation(answer, "guide.pdf").click();
    WebElement page = browser.visible("#source-viewer img.page-image");
    browser.await("the page image loaded", d -> (Boolean) browser.driver.executeScript(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", page));
    assertThat(page.getAttribute("data-page")).isEqualTo("2");
    assertThat(browser.visible("#source-viewer .page-label").getText()).isEqualTo("Page 2 of 3");
    assertThat(browser.visible("#source-viewer blockquote.snippet").getText()).contains("lantern room green");
    browser.screenshot("citation-pdf-page");
    closeViewer();

    ask("Who repaired the foghorn at the north pier?");
    WebElement second = lastAnswer();
    citation(second, "interview.vtt").click();
    WebElement cited = browser.await("the cited cue", d -> browser.all("#source-viewer .cues li.cited").size() == 1
        ? browser.all("#source-viewer .cues li.cited").get(0) : null);
    assertThat(cited.getText()).contains(FOGHORN);
    assertThat(Integer.parseInt(cited.getAttribute("data-start-ms"))).isEqualTo(FOGHORN_CUE * CUE_SECONDS * 1000);
    assertThat(cited.findElement(By.tagName("time")).getText()).isEqualTo("9:00–9:15");
    assertThat(browser.visible("#source-viewer .cited-time").getText()).startsWith("At 9:00");
    browser.screenshot("citation-transcript-time");
    closeViewer();

    ask("How does the whitby spring tide correction work?");
    citation(lastAnswer(), "tides.py").click();
    List<WebElement> lines = browser.await("the cited lines", d -> {
      List<WebElement> rows = browser.all("#source-viewer table.code tr.cited");
      return rows.isEmpty() ? null : rows;
    });
    assertThat(lines).extracting(r -> r.findElement(By.cssSelector("td.line-number")).getText())
        .contains(String.valueOf(WHITBY_LINE));
    assertThat(lines).anySatisfy(r -> assertThat(r.getText()).contains("def whitby_spring_correction"));
    browser.screenshot("citation-code-lines");
    closeViewer();

    second.findElement(By.cssSelector("button.show-plan")).click();
    WebElement plan = browser.await("the plan", d -> second.findElements(By.cssSelector(".plan")).stream().findFirst()
        .orElse(null));
    assertThat(plan.findElement(By.cssSelector("dd[data-fact='Mode']")).getText()).isIn("stuff", "retrieve");
    assertThat(plan.getText()).contains("Context window", "Prompt", "interview.vtt");
    plan.findElement(By.cssSelector("button.show-prompt")).click();
    WebElement prompt = browser.await("the prompt", d -> second.findElements(By.cssSelector("pre.prompt")).stream()
        .findFirst().orElse(null));
    assertThat(prompt.getText()).contains("Who repaired the foghorn at the north pier?", "foghorn");
    browser.screenshot("plan-and-prompt");

    String conversation = browser.driver.getCurrentUrl();
    assertThat(conversation).matches(".*#/chat/" + COLLECTION + "/[^/]+$");
    browser.open(root + "#/collections");
    browser.open(conversation);
    browser.await("the reopened conversation", d -> browser.all(".message.user").size() == 3);
    assertThat(browser.all(".message.assistant")).hasSize(3);
    assertThat(browser.visible(".conversations a[aria-current='page']").getText()).contains("lighthouse");
    browser.screenshot("conversation-reopened");
  }

  @Test
  @Order(4)
  void aModelsAnswerStreamsInWithCitationLinks() {
    ScriptedModel.server.reply(Reply.tokens("The lantern room ", "was painted ", "green in 1887 ", "[C1].")
        .delayPerToken(Duration.ofMillis(300)));
    browser.open(root + "#/chat/" + COLLECTION);
    new Select(browser.visible("#chat-profile")).selectByValue("scripted");
    new Select(browser.visible("#chat-mode")).selectByValue("retrieve");
    browser.await("no extractive note for a profile with a model",
        d -> !d.findElement(By.id("profile-note")).isDisplayed());
    WebElement input = browser.visible("#chat-input");
    input.sendKeys("What colour was the lantern room painted?");
    input.sendKeys(Keys.ENTER);
    browser.await("a partial answer while streaming", d -> browser.all(".message.assistant.streaming .answer-text")
        .stream().anyMatch(t -> t.getText().startsWith("The lantern room") && !t.getText().contains("[C1]")));
    WebElement answer = lastAnswer();
    assertThat(answer.getAttribute("data-answer-kind")).isEqualTo("generated");
    assertThat(answer.findElement(By.cssSelector(".answer-text")).getText())
        .isEqualTo("The lantern room was painted green in 1887 [C1].");
    browser.screenshot("chat-generated");
    answer.findElement(By.cssSelector("button.cite-link[data-cite='C1']")).click();
    assertThat(browser.visible("#source-viewer img.page-image").getAttribute("data-page")).isEqualTo("2");
    closeViewer();
  }

  @Test
  @Order(5)
  void aNiahRunStartedFromTheFormShowsItsHeatmap() {
    browser.open(root + "#/eval");
    WebElement lengths = browser.visible("#niah-lengths");
    lengths.clear();
    lengths.sendKeys("1000, 2000");
    WebElement depths = browser.visible("#niah-depths");
    depths.clear();
    depths.sendKeys("0, 100");
    new Select(browser.visible("#niah-profile")).selectByValue("qwen3");
    browser.screenshot("eval-form");
    browser.visible("#niah-form button[type=submit]").click();

    browser.await("the run's report", Duration.ofSeconds(180), d -> browser.all("iframe.report").isEmpty() ? null : true);
    assertThat(browser.visible("#run-state").getText()).contains("succeeded");
    browser.driver.switchTo().frame(browser.visible("iframe.report"));
    List<WebElement> cells = browser.await("the heatmap cells", d -> {
      List<WebElement> found = browser.all("td.cell");
      return found.size() == 4 ? found : null;
    });
    assertThat(cells).extracting(c -> c.getAttribute("data-length") + "@" + c.getAttribute("data-depth"))
        .containsExactlyInAnyOrder("1000@0.0", "1000@100.0", "2000@0.0", "2000@100.0");
    assertThat(cells).allSatisfy(c -> assertThat(c.getAttribute("data-found")).isIn("true", "false"));
    browser.driver.switchTo().defaultContent();
    browser.screenshot("eval-report");

    browser.open(root + "#/eval");
    browser.await("the run listed", d -> browser.all("#runs tbody tr").stream()
        .anyMatch(r -> r.getText().contains("niah") && r.getText().contains("succeeded")));

    // retrieval accuracy over the collection, with a question typed as a JSON line
    browser.await("the collections offered", d -> browser.all("#qa-collection option").size() > 0);
    new Select(browser.visible("#qa-collection")).selectByValue(COLLECTION);
    browser.visible("#qa-lines").sendKeys("{\"id\": \"dredged\", \"question\": \"When was the harbour dredged?\","
        + " \"expected\": [{\"source\": \"guide.pdf\", \"pages\": [1, 1]}]}");
    browser.visible("#qa-form button[type=submit]").click();
    browser.await("the accuracy report", Duration.ofSeconds(120),
        d -> browser.all("iframe.report").isEmpty() ? null : true);
    browser.driver.switchTo().frame(browser.visible("iframe.report"));
    List<WebElement> metrics = browser.await("the metric cells", d -> {
      List<WebElement> found = browser.all("table.qa-metrics td[data-metric='hits@5']");
      return found.size() == 3 ? found : null;
    });
    assertThat(metrics).extracting(c -> c.getAttribute("data-retriever")).containsExactly("bm25", "dense", "hybrid");
    assertThat(browser.all("table.qa-metrics td[data-retriever=hybrid][data-metric='hits@1']").get(0)
        .getAttribute("data-value")).isEqualTo("1.0");
    browser.driver.switchTo().defaultContent();
    browser.screenshot("eval-qa-report");

    // the same question again with BM25 alone, then the two runs compared on the Eval page
    browser.open(root + "#/eval");
    browser.await("the collections offered", d -> browser.all("#qa-collection option").size() > 0);
    new Select(browser.visible("#qa-collection")).selectByValue(COLLECTION);
    for (WebElement box : browser.all("#qa-form input[name=qa-retriever]")) {
      if (!box.getAttribute("value").equals("bm25") && box.isSelected()) {
        box.click();
      }
    }
    browser.visible("#qa-lines").sendKeys("{\"id\": \"dredged\", \"question\": \"When was the harbour dredged?\","
        + " \"expected\": [{\"source\": \"guide.pdf\", \"pages\": [1, 1]}]}");
    browser.visible("#qa-form button[type=submit]").click();
    browser.await("the second report", Duration.ofSeconds(120),
        d -> browser.all("iframe.report").isEmpty() ? null : true);
    browser.open(root + "#/eval");
    browser.await("two runs to compare", Duration.ofSeconds(30),
        d -> browser.all("#compare-run option").size() >= 2 ? true : null);
    browser.visible("#compare-form button[type=submit]").click();
    browser.driver.switchTo().frame(browser.visible("#compare-result iframe.report"));
    List<WebElement> deltas = browser.await("the metric deltas", d -> {
      List<WebElement> found = browser.all("table.deltas td[data-delta]");
      return found.isEmpty() ? null : found;
    });
    assertThat(deltas).extracting(c -> c.getAttribute("data-retriever")).containsOnly("bm25");
    assertThat(deltas).extracting(c -> c.getAttribute("data-delta")).containsOnly("0.0");
    browser.driver.switchTo().defaultContent();
    browser.screenshot("eval-qa-compare");
  }

  /**
   * A set drafted from the page by the (scripted) model is stored with every question marked drafted; loaded into the
   * editor, marked checked and saved, it is stored without the marks.
   */
  @Test
  @Order(6)
  void aDraftedQuestionSetIsCheckedAndSavedInTheEditor() {
    ScriptedModel.server.replyByPrompt(prompt -> Reply.tokens("{\"question\": \"Who repaired the foghorn?\",",
        " \"answer\": \"Margaret Olsen\"}"));
    browser.open(root + "#/eval");
    browser.await("the collections offered", d -> browser.all("#set-collection option").size() > 0);
    new Select(browser.visible("#set-collection")).selectByValue(COLLECTION);
    browser.await("the profiles with a model", d -> browser.all("#draft-profile option").size() > 0);
    new Select(browser.visible("#draft-profile")).selectByValue("scripted");
    browser.visible("#draft-name").sendKeys("drafted-ui");
    WebElement count = browser.visible("#draft-count");
    count.clear();
    count.sendKeys("2");
    browser.visible("#set-form button[type=submit]").click();
    browser.await("the drafting run to succeed", Duration.ofSeconds(120),
        d -> browser.visible("#run-state").getText().contains("succeeded") ? true : null);
    browser.await("its report", d -> browser.all("iframe.report").isEmpty() ? null : true);

    browser.open(root + "#/eval");
    browser.await("the collections offered", d -> browser.all("#set-collection option").size() > 0);
    new Select(browser.visible("#set-collection")).selectByValue(COLLECTION);
    browser.await("the drafted set offered", d -> browser.all("#set-name option").stream()
        .anyMatch(o -> "drafted-ui".equals(o.getAttribute("value"))));
    new Select(browser.visible("#set-name")).selectByValue("drafted-ui");
    browser.visible("#set-load").click();
    browser.await("the set loaded", d -> "2".equals(browser.visible("#set-status").getAttribute("data-drafted")));
    assertThat(browser.visible("#set-lines").getAttribute("value")).contains("Who repaired the foghorn?");
    browser.screenshot("question-set-drafted");
    browser.visible("#set-check").click();
    assertThat(browser.visible("#set-status").getAttribute("data-drafted")).isEqualTo("0");
    browser.visible("#set-save").click();
    browser.await("saved", d -> browser.visible("#set-status").getText().startsWith("Saved: 2 questions"));
    String stored = given().get("/api/collections/" + COLLECTION
        + "/question-sets/drafted-ui").then().statusCode(200).extract().asString();
    assertThat(stored).contains("Who repaired the foghorn?").doesNotContain("\"drafted\":");
  }

  @Test
  @Order(7)
  void aRefusedRunShowsTheProblemAndADocumentIsDeletedFromTheList() {
    browser.open(root + "#/eval");
    browser.visible("#retrieval-dataset").sendKeys("/etc");
    browser.visible("#retrieval-form button[type=submit]").click();
    assertThat(browser.visible("#retrieval-form .error .detail").getText()).contains("/etc");
    browser.screenshot("eval-refused");

    browser.open(root + "#/collections/" + COLLECTION);
    browser.await("the documents listed", d -> browser.all("#documents tr[data-document-id]").size() == 3);
    documentRow("tides.py").findElement(By.cssSelector("button.danger")).click();
    browser.driver.switchTo().alert().accept();
    browser.await("tides.py gone", d -> browser.all("#documents tr[data-document-id]").size() == 2);
    assertThat(browser.all("#documents tr[data-document-id]")).noneMatch(r -> r.getText().contains("tides.py"));
    assertThat(browser.visible("#collection-stats").getText()).contains("2 documents");
  }

  @Test
  @Order(8)
  void aPickedFolderIsUploadedWithItsRelativePaths() throws IOException {
    Path folder = Files.createDirectories(files.resolve("minutes"));
    Files.writeString(folder.resolve("march.txt"), "The harbour board met in March and approved the new crane.");
    Files.writeString(Files.createDirectories(folder.resolve("older")).resolve("may.md"),
        "# May\n\nThe board discussed dredging the channel.");
    browser.open(root + "#/collections/" + COLLECTION);
    browser.visible("#upload-prefix").sendKeys("board");
    browser.driver.findElement(By.id("upload-folder")).sendKeys(folder.toString());
    browser.await("the folder's files done", Duration.ofSeconds(120), d -> {
      List<String> done = browser.all("#jobs tr[data-status='done']").stream().map(r -> r.getAttribute("data-file"))
          .toList();
      return done.containsAll(List.of("board/minutes/march.txt", "board/minutes/older/may.md")) ? done : null;
    });
    browser.await("the documents listed", d -> browser.all("#documents tr[data-document-id]").size() == 4);
    assertThat(documentRow("board/minutes/older/may.md").getText()).contains("text/markdown");
    browser.screenshot("folder-uploaded");
  }

  @Test
  @Order(9)
  void aCollectionIsDeletedFromTheListAfterAConfirmationNamingItAndItsDocuments() {
    // dismissed: nothing happens
    browser.open(root + "#/collections");
    collectionRow(COLLECTION).findElement(By.cssSelector("button.danger")).click();
    Alert confirmation = browser.driver.switchTo().alert();
    assertThat(confirmation.getText()).contains("Delete the collection " + COLLECTION + " and its 4 documents?",
        "conversations");
    confirmation.dismiss();
    assertThat(collectionRow(COLLECTION).getText()).contains(COLLECTION);
    given().when().get("/api/collections/" + COLLECTION).then().statusCode(200);

    // deleted elsewhere while the page still lists it: the page shows the service's problem detail
    given().contentType("application/json").body(Map.of("name", "stale")).when().post("/api/collections")
        .then().statusCode(201);
    browser.driver.navigate().refresh();
    WebElement stale = collectionRow("stale");
    given().when().delete("/api/collections/stale").then().statusCode(204);
    stale.findElement(By.cssSelector("button.danger")).click();
    assertThat(browser.driver.switchTo().alert().getText()).contains("stale and its 0 documents?");
    browser.driver.switchTo().alert().accept();
    assertThat(browser.visible("#collections-error .error .detail").getText())
        .isEqualTo("no collection with id 'stale'");
    browser.screenshot("collection-delete-refused");

    // accepted: the collection leaves the list and the service, conversations and all
    collectionRow(COLLECTION).findElement(By.cssSelector("button.danger")).click();
    browser.driver.switchTo().alert().accept();
    browser.await("the collection gone from the list",
        d -> browser.all("#collections tr[data-collection='" + COLLECTION + "']").isEmpty()
            && browser.all("#collections-error .error").isEmpty());
    browser.screenshot("collection-deleted");
    given().when().get("/api/collections/" + COLLECTION).then().statusCode(404);
    given().queryParam("collection", COLLECTION).when().get("/api/conversations").then().statusCode(200)
        .body("size()", Matchers.equalTo(0));

    // from a collection's own page, which then goes back to the list
    given().contentType("application/json").body(Map.of("name", "scratch")).when().post("/api/collections")
        .then().statusCode(201);
    browser.open(root + "#/collections/scratch");
    browser.await("the stats", d -> browser.visible("#collection-stats").getText().contains("0 documents"));
    browser.visible("#delete-collection").click();
    Alert fromPage = browser.driver.switchTo().alert();
    assertThat(fromPage.getText()).contains("Delete the collection scratch and its 0 documents?");
    fromPage.accept();
    browser.await("back at the list", d -> d.getCurrentUrl().endsWith("#/collections"));
    browser.await("scratch gone", d -> browser.all("#collections tr[data-collection='scratch']").isEmpty()
        && browser.all("main .empty").size() == 1);
    given().when().get("/api/collections/scratch").then().statusCode(404);
  }

  private static WebElement collectionRow(String name) {
    return browser.await("the row of collection " + name, d -> browser.all("#collections tr[data-collection]").stream()
        .filter(r -> name.equals(r.getAttribute("data-collection"))).findFirst().orElse(null));
  }

  private static void ask(String question) {
    int before = browser.all(".message.assistant:not(.streaming)").size();
    WebElement input = browser.visible("#chat-input");
    input.sendKeys(question);
    input.sendKeys(Keys.ENTER);
    browser.await("the answer to: " + question, Duration.ofSeconds(60),
        d -> browser.all(".message.assistant:not(.streaming)").size() > before
            && browser.all(".message.assistant.streaming").isEmpty());
  }

  private static WebElement lastAnswer() {
    browser.await("an answer", Duration.ofSeconds(60), d -> browser.all(".message.assistant:not(.streaming)").size() > 0
        && browser.all(".message.assistant.streaming").isEmpty());
    List<WebElement> answers = browser.all(".message.assistant");
    return answers.get(answers.size() - 1);
  }

  private static WebElement citation(WebElement answer, String source) {
    return answer.findElements(By.cssSelector("button.citation")).stream()
        .filter(b -> b.getText().contains(source)).findFirst()
        .orElseThrow(() -> new AssertionError("no citation of " + source + " in: " + answer.getText()));
  }

  private static void closeViewer() {
    browser.visible("#source-viewer button.close").click();
    browser.await("the viewer closed", d -> !browser.driver.findElement(By.id("source-viewer")).isDisplayed());
  }

  private static WebElement fileRow(String name) {
    return browser.driver.findElement(By.cssSelector("#jobs tr[data-file='" + name + "']"));
  }

  private static WebElement documentRow(String source) {
    return browser.all("#documents tr[data-document-id]").stream().filter(r -> r.getText().contains(source))
        .findFirst().orElseThrow();
  }

  /** 40 cues of 15 s about the harbour's day; cue 36 (at 9:00) holds the foghorn sentence. */
  static String transcript() {
    String[] topics = {"tide tables", "the ferry timetable", "net mending", "the weather on the cape", "gull counts",
        "rope prices", "the boat registry", "ice deliveries"};
    StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; i < 40; i++) {
      String text = i == FOGHORN_CUE ? FOGHORN : "Speaker " + (i % 3 + 1) + " talks about " + topics[i % topics.length]
          + " for week " + (i + 1) + " and what the crews noticed at the docks that morning.";
      vtt.append(stamp(i * CUE_SECONDS)).append(" --> ").append(stamp(i * CUE_SECONDS + CUE_SECONDS)).append('\n')
          .append(text).append("\n\n");
    }
    return vtt.toString();
  }

  static final int WHITBY_LINE = 31;

  /** A Python module of tide helpers; the Whitby function starts at line 31. */
  static String tides() {
    StringBuilder py = new StringBuilder("\"\"\"Tide helpers for the harbour office.\"\"\"\n\nimport math\n\n");
    String[] ports = {"dover", "hull", "leith", "oban", "falmouth"};
    for (String port : ports) {
      py.append("\ndef ").append(port).append("_offset(minutes):\n")
          .append("    \"\"\"Minutes added to the Dover tide table for ").append(port).append(".\"\"\"\n")
          .append("    return minutes + ").append(port.length() * 7).append("\n");
    }
    while (py.toString().split("\n", -1).length < WHITBY_LINE) {
      py.append("\n");
    }
    py.append("def whitby_spring_correction(height):\n")
        .append("    \"\"\"Whitby spring tide correction: add a tenth of the height plus 0.3 metres.\"\"\"\n")
        .append("    return height * 1.1 + 0.3\n");
    return py.toString();
  }

  private static String stamp(int seconds) {
    return String.format("%02d:%02d:%02d.000", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
