package rag.ingest.chunk;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import rag.ingest.chunk.Packer.Pack;

/**
 * Random texts for the chunker properties, built from jqwik arbitraries so that failures shrink:
 * words in several scripts (Latin, accented, CJK without spaces, emoji outside the BMP), now and
 * then a very long word or a very long sentence, paragraphs with hard line breaks, blank lines and
 * stray whitespace.
 */
@SuppressWarnings("unchecked")
final class RandomTexts {
  private RandomTexts() {}

  static Arbitrary<String> word() {
    return Arbitraries.frequencyOf(
        weighted(30, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)),
        weighted(5, Arbitraries.strings().withChars("éàüßøçñÅΩЖж").ofMinLength(1).ofMaxLength(8)),
        weighted(4, Arbitraries.strings().withCharRange('\u4e00', '\u4fff').ofMinLength(1).ofMaxLength(40)),
        weighted(3, Arbitraries.of("😀", "👍🏽", "𝔘𝔫𝔦", "🇫🇷").list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l))),
        weighted(3, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12)),
        weighted(1, Arbitraries.strings().withCharRange('a', 'f').ofMinLength(300).ofMaxLength(2500)));
  }

  static Arbitrary<String> sentence() {
    Arbitrary<List<String>> words = Arbitraries.frequencyOf(
        weighted(20, word().list().ofMinSize(1).ofMaxSize(25)),
        weighted(1, word().list().ofMinSize(150).ofMaxSize(500)));
    Arbitrary<String> end = Arbitraries.of(".", "?", "!", "", "。", ".\"", "...");
    Arbitrary<String> space = Arbitraries.of(" ", " ", " ", "\n", "  ", "\t");
    return Combinators.combine(words, end, space).as((w, e, s) -> String.join(s, w) + e);
  }

  static Arbitrary<String> paragraph() {
    Arbitrary<String> separator = Arbitraries.of(" ", " ", "\n", "  ");
    return Combinators.combine(sentence().list().ofMinSize(1).ofMaxSize(8), separator)
        .as((sentences, s) -> String.join(s, sentences));
  }

  /** A section's text: paragraphs, blank lines, sometimes nothing but whitespace. */
  static Arbitrary<String> sectionText() {
    Arbitrary<String> breaks = Arbitraries.of("\n\n", "\n \n", "\n\n\n", "\r\n\r\n");
    Arbitrary<String> around = Arbitraries.of("", "", " ", "\n", " \n\t");
    Arbitrary<String> text = Combinators.combine(paragraph().list().ofMinSize(1).ofMaxSize(5), breaks, around)
        .as((paragraphs, b, a) -> a + String.join(b, paragraphs) + a);
    return Arbitraries.frequencyOf(weighted(12, text), weighted(1, Arbitraries.of("", "   ", "\n\n")));
  }

  static String withoutWhitespace(String text) {
    return text.codePoints().filter(c -> !Character.isWhitespace(c))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  /** The body units of every pack, joined as in the source: what the chunks say once, without overlap. */
  static String bodies(List<Pack> packs) {
    StringBuilder text = new StringBuilder();
    for (Pack pack : packs) {
      for (Unit unit : pack.body()) {
        text.append(unit.text()).append(unit.gapAfter());
      }
    }
    return text.toString();
  }

  private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
