package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link TikaSections#tidy} without regular expressions gives what the regular expressions it replaces gave. */
class TidyTest {
  private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t\\x0B\\f\\r\\u00A0]+(?=\\n|$)");
  private static final Pattern LEADING_SPACE = Pattern.compile("(?m)^[ \\t\\x0B\\f\\u00A0]+");
  private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
  private static final String[] PIECES = {"a", "word", " ", "  ", "\t", "\u000B", "\f", "\r", "\r\n", "\n", "\n\n",
      "\n\n\n", "\u00A0", "\u0085", "\u2028", "\u2029", "\u3000", "x y", ".", "\ud83d\ude00"};

  static String byRegex(String text, boolean html) {
    String tidied = TRAILING_SPACE.matcher(text).replaceAll("");
    if (html) {
      tidied = LEADING_SPACE.matcher(tidied).replaceAll("");
    }
    return BLANK_LINES.matcher(tidied).replaceAll("\n\n").strip();
  }

  @Test
  void randomTextIsTidiedAsTheRegularExpressionsTidiedIt() {
    Random random = new Random(138);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int pieces = random.nextInt(24);
      for (int i = 0; i < pieces; i++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String s = text.toString();
      boolean html = random.nextBoolean();
      assertThat(TikaSections.tidy(s, html)).as("[%s] html=%s", s.replace("\n", "\\n").replace("\r", "\\r"), html)
          .isEqualTo(byRegex(s, html));
    }
  }

  @Test
  void linesLoseTheirTrailingSpaceAndBlankLinesAreOneAtMost() {
    assertThat(TikaSections.tidy("  one \t\n\n\n\n two\u00A0\r\nthree  \u2028", false)).isEqualTo("one\n\n two\nthree");
    assertThat(TikaSections.tidy("  <p>\n    text\n", true)).isEqualTo("<p>\ntext");
    assertThat(TikaSections.tidy("keep  inner  spaces", false)).isEqualTo("keep  inner  spaces");
  }
}
