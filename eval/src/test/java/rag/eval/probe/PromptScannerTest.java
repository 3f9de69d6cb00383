package rag.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptScannerTest {
  private static final String NEEDLE = "The pass code is 7.";

  private static PromptScanner scan(String prompt) {
    PromptScanner scanner = new PromptScanner(Parts.COUNTER, List.of(NEEDLE));
    scanner.append(prompt, 0, 10).append(prompt.substring(10));
    scanner.finish();
    return scanner;
  }

  @Test
  void countsDocumentTextWithoutSeparatorsOrMarkersAndFindsTheNeedle() {
    String prompt = "# Contents\nD1. a (a, text/plain, 9 tokens)\n\n# Documents\n\n"
        + "<<<DOCUMENT D1 id=\"x\" title=\"a\" source=\"a\" type=\"text/plain\">>>\n[C1]\nOne two three.\n"
        + "[C2 | page 2]\nFour. " + NEEDLE + "\n<<<END DOCUMENT D1>>>\n"
        + "\n<<<DOCUMENT D2 id=\"y\" title=\"b\" source=\"b\" type=\"text/plain\">>>\n[C3]\nFive.\n"
        + "<<<END DOCUMENT D2>>>\n\n# Question\nWhat?\n";
    PromptScanner scanner = scan(prompt);
    assertThat(scanner.separatorErrors()).isEmpty();
    assertThat(scanner.opened()).isEqualTo(2);
    assertThat(scanner.closed()).isEqualTo(2);
    long one = Parts.COUNTER.count("One two three.") + 1;
    assertThat(scanner.needleOffset(0)).isEqualTo(one + Parts.COUNTER.count("Four. "));
    assertThat(scanner.documentTokens()).isEqualTo(one + Parts.COUNTER.count("Four. " + NEEDLE) + 1
        + Parts.COUNTER.count("Five.") + 1);
    assertThat(scanner.promptTokens()).isGreaterThan(scanner.documentTokens());
  }

  @Test
  void reportsBrokenNestedAndUnclosedSeparators() {
    String prompt = "<<<DOCUMENT D1 id=\"x\">>>\ntext\n<<<DOCUMENT D2 id=\"y\">>>\n<<<END DOCUMENT D1>>>\n"
        + "<<<END DOCUMENT D7 oops\n<<<DOCUMENT D4 id=\"z\">>>\n" + NEEDLE;
    PromptScanner scanner = scan(prompt);
    assertThat(scanner.separatorErrors()).containsExactly("D2 opens inside D1",
        "D1 closes while D2 is open", "a line looks like a broken separator: <<<END DOCUMENT D7 oops",
        "D4 opens where D3 should", "document D4 is never closed");
    assertThat(scanner.needleOffset(0)).isEqualTo(Parts.COUNTER.count("text") + 1);
  }
}
