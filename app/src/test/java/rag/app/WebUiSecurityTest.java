package rag.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import rag.app.security.SecurityApiTest;

/**
 * The web page against a service with access control, in headless Chromium: it asks for a key, says when a key is
 * refused, shows only what the key may read, and forgets the key on "Sign out".
 */
@QuarkusTest
@TestProfile(SecurityApiTest.Secured.class)
class WebUiSecurityTest {
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
  void thePageAsksForAKeyAndShowsOnlyWhatItMayRead() {
    for (String name : new String[] {"lantern", "ledger"}) {
      SecurityApiTest.as(SecurityApiTest.ADMIN).contentType("application/json").body("{\"name\": \"" + name + "\"}")
          .when().post("/api/collections").then().statusCode(201);
    }
    String reader = SecurityApiTest.createKey(SecurityApiTest.ADMIN,
        "{\"name\": \"lantern reader\", \"grants\": {\"lantern\": \"read\"}}").getString("key");

    browser.open(root + "#/collections");
    WebElement input = browser.visible("#key-dialog input#api-key");
    assertThat(browser.visible("#key-dialog .key-reason").getText()).contains("needs an API key");
    browser.screenshot("key-dialog");
    input.sendKeys("rk_000000000000_not-a-real-secret");
    browser.visible("#key-dialog button[type=submit]").click();
    browser.await("the refusal", d -> browser.visible("#key-dialog .key-reason").getText().contains("not accepted"));

    browser.visible("#key-dialog input#api-key").sendKeys(reader);
    browser.visible("#key-dialog button[type=submit]").click();
    browser.await("the readable collection", d -> browser.all("main table a[href='#/collections/lantern']").size() == 1);
    assertThat(browser.all("main a[href='#/collections/ledger']")).isEmpty();
    assertThat(browser.driver.findElement(By.id("key-dialog")).isDisplayed()).isFalse();
    assertThat(browser.visible("#sign-out").isDisplayed()).isTrue();
    browser.screenshot("signed-in-reader");

    browser.visible("#sign-out").click();
    browser.visible("#key-dialog input#api-key");
    assertThat(browser.driver.executeScript("return sessionStorage.getItem('rag.api-key')")).isNull();
  }
}
