package rag.storage.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The remembered segment counts give exactly JTokkit's own count of the whole text, for every encoding it ships. */
class JTokkitTokenCounterTest {
  private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
  /** Characters where pre-tokenizers decide: spaces and line breaks, contractions, digits, marks, other scripts. */
  private static final String[] ALPHABET = {"a", "b", "s", "l", "e", "v", "r", "d", "m", "t", "T", "S", "L", "Z",
      " ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "'", "'s", "'LL", "'ve", ".", ",", "/", "-", "(", ")", "\"", "1",
      "23", "4567", "\u00e9", "\u0301", "\u00a0", "\u3000", "\u2028", "\u6f6e", "\u6c50", "\ud83d\ude00", "\u0418",
      "\u00bd", "\u2167", "<|endoftext|>", "#", "_", "?!", ";", ":", "=", "[", "]", "{", "}", "`", "~", "|", "@",
      "$", "%", "^", "&", "*", "+", "<", ">", "\\", "e.g.", "U.S.", "n't", "'re", "x_y"};

  @ParameterizedTest
  @EnumSource(EncodingType.class)
  void randomTextCountsAsJTokkitCountsIt(EncodingType type) {
    Encoding direct = REGISTRY.getEncoding(type);
    JTokkitTokenCounter counter = new JTokkitTokenCounter(type);
    Random random = new Random(7);
    for (int n = 0; n < 4_000; n++) {
      StringBuilder text = new StringBuilder();
      int pieces = random.nextInt(60);
      for (int i = 0; i < pieces; i++) {
        text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      String s = text.toString();
      int expected = direct.countTokensOrdinary(s);
      assertThat(counter.count(s)).as("%s: [%s]", type, s).isEqualTo(expected);
      assertThat(counter.count(s)).as("%s, remembered: [%s]", type, s).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(EncodingType.class)
  void realTextCountsAsJTokkitCountsIt(EncodingType type) throws IOException {
    Encoding direct = REGISTRY.getEncoding(type);
    JTokkitTokenCounter counter = new JTokkitTokenCounter(type);
    String corpus = resource("/scifact/corpus-300.jsonl").replace("\\n", "\n") + resource("/tokenizer/prose.txt");
    int checked = 0;
    for (int from = 0; from < corpus.length(); from += 997) {
      String text = corpus.substring(from, Math.min(corpus.length(), from + 4_000));
      assertThat(counter.count(text)).as("%s at %d", type, from).isEqualTo(direct.countTokensOrdinary(text));
      checked++;
    }
    assertThat(checked).isGreaterThan(400);
    assertThat(counter.count(corpus)).isEqualTo(direct.countTokensOrdinary(corpus));
  }

  @ParameterizedTest
  @EnumSource(value = EncodingType.class, names = {"CL100K_BASE", "O200K_BASE"})
  void everyCutSplitsTheCountExactly(EncodingType type) throws IOException {
    Encoding direct = REGISTRY.getEncoding(type);
    String text = "It's 42. We'll see\nthe end.\n\nNext line\r\nand more: x/y z 1 a\u00e9 b  c (d) e'LL f "
        + "e.g., U.S.A. don't x_y=1; a[0]{b}`c` ~d|e @f #g $h %i ^j &k *l +m <n> ?o !p \"q\" 3.14, 7%; v2.0-rc1 "
        + resource("/tokenizer/prose.txt").substring(0, 1_500);
    int whole = direct.countTokensOrdinary(text);
    int cuts = 0;
    for (int at = 1; at < text.length() - 1; at++) {
      if (JTokkitTokenCounter.isCut(text, at)) {
        cuts++;
        assertThat(direct.countTokensOrdinary(text.substring(0, at)) + direct.countTokensOrdinary(text.substring(at)))
            .as("cut before %d: %s", at, text.substring(at, Math.min(text.length(), at + 12))).isEqualTo(whole);
      }
    }
    assertThat(cuts).isGreaterThan(200);
    assertThat(JTokkitTokenCounter.isCut("a\n\nb", 2)).as("inside a run of line breaks").isFalse();
    assertThat(JTokkitTokenCounter.isCut("cell, x", 4)).as("a letter, then a comma").isTrue();
    assertThat(JTokkitTokenCounter.isCut("don't", 3)).as("o200k keeps contractions with their word").isFalse();
    assertThat(direct.countTokensOrdinary("a\n") + direct.countTokensOrdinary("\nb")).as("why: line breaks merge")
        .isNotEqualTo(direct.countTokensOrdinary("a\n\nb"));
  }

  @Test
  void rememberedCountsStayBounded() {
    JTokkitTokenCounter counter = JTokkitTokenCounter.cl100k();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < JTokkitTokenCounter.MAX_REMEMBERED + 10_000; i++) {
      text.append(" w").append(Integer.toString(i, 26).replace('0', 'q').replace('1', 'r').replace('2', 's')
          .replace('3', 't').replace('4', 'u').replace('5', 'v').replace('6', 'w').replace('7', 'x').replace('8', 'y')
          .replace('9', 'z'));
    }
    String s = text.toString();
    assertThat(counter.count(s)).isEqualTo(REGISTRY.getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(s));
    assertThat(counter.remembered()).isPositive().isLessThanOrEqualTo(JTokkitTokenCounter.MAX_REMEMBERED);
  }

  @Test
  void threadsCountingTogetherAndAfterForgettingGetJTokkitsCount() throws Exception {
    Encoding direct = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    String corpus = resource("/scifact/corpus-300.jsonl").replace("\\n", "\n") + resource("/tokenizer/prose.txt");
    java.util.List<String> texts = new java.util.ArrayList<>();
    for (int from = 0; from < corpus.length(); from += 1_499) {
      texts.add(corpus.substring(from, Math.min(corpus.length(), from + 3_000)));
    }
    int[] expected = texts.stream().mapToInt(direct::countTokensOrdinary).toArray();
    for (int round = 0; round < 2; round++) {
      JTokkitTokenCounter.forgetRemembered();
      assertThat(JTokkitTokenCounter.cl100k().remembered()).isZero();
      java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        java.util.List<java.util.concurrent.Future<int[]>> counted = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
          counted.add(threads.submit(() -> {
            JTokkitTokenCounter counter = JTokkitTokenCounter.cl100k();
            return texts.stream().mapToInt(counter::count).toArray();
          }));
        }
        for (java.util.concurrent.Future<int[]> f : counted) {
          assertThat(f.get()).containsExactly(expected);
        }
      } finally {
        threads.shutdown();
      }
      assertThat(JTokkitTokenCounter.cl100k().remembered()).isPositive();
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = JTokkitTokenCounterTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
