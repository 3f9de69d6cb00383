package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web page over a collection whose vectors came from another embedding model ({@link OldModelArchive}): the list
 * marks it, its page shows a notice with a Re-index button, a retrieved answer's plan says BM25 only, and the button
 * re-indexes it until the notice goes away.
 */
@QuarkusTest
@WithTestResource(OldModelArchive.Another.class)
class ReindexWebUiTest {
  private static final String C = OldModelArchive.COLLECTION;

  @TestHTTPResource("/")
  URL root;

  static Browser browser;

  @BeforeAll
  static void startBrowser() throws IOException {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void aCollectionNeedingReindexingSaysSoAndItsButtonReindexesIt() {
    browser.open(root + "#/collections");
    assertThat(browser.visible("#collections .badge-needs-reindex").getText()).isEqualTo("needs re-index");

    browser.open(root + "#/collections/" + C);
    WebElement notice = browser.visible("#reindex .notice");
    assertThat(notice.getText()).contains("This collection needs re-indexing")
        .contains("openai:scripted-embedder (64 dimensions)").contains("openai:scripted-embedder (96 dimensions)")
        .contains("keyword search (BM25) alone");
    browser.screenshot("collection-needs-reindex");

    browser.visible("a.button[href='#/chat/" + C + "']").click();
    new Select(browser.visible("#chat-mode")).selectByValue("retrieve");
    WebElement input = browser.visible("#chat-input");
    input.sendKeys("When do spring tides come?");
    input.sendKeys(Keys.ENTER);
    WebElement answer = browser.await("the answer", Duration.ofSeconds(60), d -> {
      var done = browser.all(".message.assistant:not(.streaming)");
      return done.isEmpty() || !browser.all(".message.assistant.streaming").isEmpty() ? null : done.get(0);
    });
    answer.findElement(By.cssSelector("button.show-plan")).click();
    WebElement plan = browser.await("the plan", d -> answer.findElements(By.cssSelector(".plan")).stream().findFirst()
        .orElse(null));
    assertThat(plan.findElement(By.cssSelector("dd[data-fact='Retrieval']")).getText())
        .isEqualTo("BM25 only (the collection needs re-indexing)");
    browser.screenshot("plan-bm25-only");

    browser.open(root + "#/collections/" + C);
    browser.visible("#reindex-button").click();
    WebElement job = browser.visible("#jobs .job");
    assertThat(job.getText()).startsWith("Re-index ");
    browser.await("the notice gone after the switch", Duration.ofSeconds(90),
        d -> browser.all("#reindex .notice").isEmpty() ? true : null);
    assertThat(browser.all("#jobs tr[data-status]")).hasSize(3)
        .allSatisfy(r -> assertThat(r.getAttribute("data-status")).isEqualTo("done"));
    browser.screenshot("collection-reindexed");
  }
}
