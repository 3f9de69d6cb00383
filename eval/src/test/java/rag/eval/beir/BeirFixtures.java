package rag.eval.beir;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The tiny BEIR folder under test resources: split corpus, BOMs and CRLF line ends. */
final class BeirFixtures {
  private BeirFixtures() {}

  static Path tiny() {
    try {
      return Path.of(BeirFixtures.class.getResource("/beir/tiny/queries.jsonl").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
