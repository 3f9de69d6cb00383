package rag.eval.niah;

import java.util.List;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;

/**
 * A haystack whose token arithmetic can be done by hand: every sentence is "The cat sat on the mat." (7 cl100k
 * tokens, also with a leading space or a trailing blank line), ten sentences make a 70-token paragraph, and with
 * 70-token segments every segment is one paragraph. One pass over the source is 10 paragraphs, 700 tokens.
 */
final class CatHaystack {
  static final TokenCounter COUNTER = JTokkitTokenCounter.cl100k();
  static final String SENTENCE = "The cat sat on the mat.";
  static final String PARAGRAPH = (SENTENCE + " ").repeat(9) + SENTENCE;

  private CatHaystack() {}

  static HaystackBuilder builder() {
    String text = (PARAGRAPH + "\n\n").repeat(10);
    return new HaystackBuilder("cats", List.of(new SourceText("cats.txt", text)), COUNTER, 70);
  }
}
