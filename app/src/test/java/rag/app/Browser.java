package rag.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through its chromedriver, with a fresh profile and no network beyond the app.
 * Without Chromium the tests are skipped, saying why, unless RAG_REQUIRE_BROWSER=true (scripts/test.sh), where
 * they fail.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("RAG_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("RAG_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static boolean cleaned;

  final ChromeDriver driver;
  private final Path profile;
  private int shots;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
          + "); scripts/test.sh installs them";
      if ("true".equals(System.getenv("RAG_REQUIRE_BROWSER"))) {
        Assertions.fail("RAG_REQUIRE_BROWSER=true but the browser is missing: " + why);
      }
      Assumptions.abort("browser tests skipped: " + why);
    }
    Path profile = Files.createTempDirectory("rag-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--window-size=1366,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    Files.createDirectories(SCREENSHOTS);
    if (!cleaned) {
      cleaned = true; // once per test run: several test classes leave screenshots
      try (var old = Files.newDirectoryStream(SCREENSHOTS, "*.png")) {
        for (Path shot : old) {
          Files.delete(shot);
        }
      }
    }
    return new Browser(new ChromeDriver(service, options), profile);
  }

  void open(String url) {
    driver.get(url);
  }

  <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout).withMessage(what).ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  <T> T await(String what, Function<WebDriver, T> condition) {
    return await(what, Duration.ofSeconds(30), condition);
  }

  WebElement visible(String css) {
    return await("visible: " + css, d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed)
        .findFirst().orElse(null));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Saves the window as target/screenshots/NN-name.png, a build output a person can look at. */
  void screenshot(String name) {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name)),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
