package rag.storage.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/** Lucene's BM25 engine: the engine contract, and what only Lucene promises (its exact formula, near-real-time reads). */
class LuceneLexicalIndexTest extends LexicalIndexContract {
  @TempDir
  Path dir;

  @Override
  protected LexicalIndex open() {
    return new LuceneLexicalIndex(dir.resolve("lexical"), Bm25Params.DEFAULT);
  }

  private static Document doc(String id, String mediaType) {
    return new Document(id, "c", 1, null, id + ".txt", mediaType, null, 0, null, null, null, 0, 0, null, null,
        Instant.EPOCH, Instant.EPOCH, Map.of());
  }

  private static Chunk chunk(String docId, String text) {
    return new Chunk(null, docId, 1, 0, text, 1, Provenance.NONE);
  }

  /**
   * BM25 as Lucene defines it (no (k1+1) factor): idf = ln(1 + (N - n + 0.5) / (n + 0.5)),
   * score = idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)), computed here by hand.
   */
  @Test
  void bm25ScoresMatchTheFormulaExactly() throws Exception {
    try (LuceneLexicalIndex index = new LuceneLexicalIndex(dir, Bm25Params.DEFAULT)) {
      index.add(doc("d1", "text/plain"), List.of(chunk("d1", "The quick brown fox")));
      index.add(doc("d2", "text/plain"), List.of(chunk("d2", "a lazy dog")));
      index.add(doc("d3", "text/plain"), List.of(chunk("d3", "fox, foxes jumping")));
      index.commit();

      List<Hit> hits = index.search(new LexicalQuery("fox", SearchFilter.all(), 10));

      // after stop words and stemming: d1 = quick brown fox (3), d2 = lazi dog (2), d3 = fox fox jump (3)
      double idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
      double avgdl = 8 / 3.0;
      double norm = 0.9 * (1 - 0.4 + 0.4 * 3 / avgdl);
      assertThat(hits).extracting(Hit::documentId).containsExactly("d3", "d1");
      assertThat((double) hits.get(0).score()).isCloseTo(idf * 2 / (2 + norm), within(1e-4));
      assertThat((double) hits.get(1).score()).isCloseTo(idf * 1 / (1 + norm), within(1e-4));
    }
  }

  @Test
  void writesAreSearchableWithinASecondWithoutCommit() throws Exception {
    try (LuceneLexicalIndex index = new LuceneLexicalIndex(dir, Bm25Params.DEFAULT)) {
      index.add(doc("d1", "text/plain"), List.of(chunk("d1", "near real time")));
      long deadline = System.nanoTime() + 1_000_000_000L;
      List<Hit> hits = List.of();
      while (hits.isEmpty() && System.nanoTime() < deadline) {
        hits = index.search(new LexicalQuery("real", SearchFilter.all(), 10));
        Thread.sleep(10);
      }
      assertThat(hits).hasSize(1);
    }
  }

  /**
   * A commit is a group commit (issue 16): the write is searchable when commit() returns, and on disk (a reader of the
   * last Lucene commit point sees it) within the group window, without one fsync per document.
   */
  @Test
  void aCommitIsVisibleAtOnceAndDurableWithinTheGroupWindow() throws Exception {
    Path path = dir.resolve("group");
    try (LuceneLexicalIndex index = new LuceneLexicalIndex(path, Bm25Params.DEFAULT)) {
      for (int i = 0; i < 50; i++) {
        index.add(doc("d" + i, "text/plain"), List.of(chunk("d" + i, "group commit number " + i)));
        index.commit();
        assertThat(index.search(new LexicalQuery("number", SearchFilter.all(), 100))).hasSize(i + 1);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      int durable = 0;
      while (durable < 50 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        try (org.apache.lucene.store.FSDirectory fs = org.apache.lucene.store.FSDirectory.open(path);
            org.apache.lucene.index.DirectoryReader committed = org.apache.lucene.index.DirectoryReader.open(fs)) {
          durable = committed.numDocs();
        }
      }
      assertThat(durable).isEqualTo(50);
    }
  }

  /**
   * A chunk's header (file name, code symbol) is indexed in its own field: a question in the words of a symbol finds
   * code whose text never says them, weighed by the title weight (score in proportion), and not at weight 0.
   */
  @Test
  void aChunkIsFoundByItsHeaderAsTheTitleWeightSays() throws Exception {
    Document shapes = new Document("s", "c", 1, null, "lib/shapes.py", "text/x-python", null, 0, null, null, null, 0,
        0, null, null, Instant.EPOCH, Instant.EPOCH, Map.of());
    Chunk body = new Chunk(null, "s", 1, 0, "def circle_area(radius):\n    return math.pi * radius ** 2", 1,
        Provenance.lines(5, 6, "circle_area"));
    Document notes = doc("n", "text/plain");
    Chunk prose = new Chunk(null, "n", 1, 0, "Radius and diameter are lengths.", 1, Provenance.NONE);
    double[] scores = new double[3];
    float[] weights = {0f, 0.5f, 1f};
    for (int i = 0; i < weights.length; i++) {
      try (LuceneLexicalIndex index = new LuceneLexicalIndex(dir.resolve("w" + i), new Bm25Params(0.9f, 0.4f,
          weights[i]))) {
        index.add(shapes, List.of(body));
        index.add(notes, List.of(prose));
        index.commit();
        List<Hit> hits = index.search(new LexicalQuery("What does the shapes module compute?",
            SearchFilter.all(), 10));
        scores[i] = hits.isEmpty() ? 0 : hits.get(0).score();
        if (weights[i] == 0) {
          assertThat(hits).as("the text alone does not say shapes").isEmpty();
        } else {
          assertThat(hits).extracting(Hit::documentId).containsExactly("s");
        }
      }
    }
    assertThat(scores[2]).isCloseTo(2 * scores[1], within(1e-4));
  }
}
