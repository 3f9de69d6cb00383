package rag.storage.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/**
 * What every BM25 engine behind {@link LexicalIndex} must do (Lucene today; a search cluster next): versions are
 * added, replaced and deleted by version, filters restrict before ranking, and commits are durable. Subclasses say
 * how to open the engine on a store that survives {@link #reopen}.
 */
public abstract class LexicalIndexContract {
  protected LexicalIndex index;

  /** Opens the engine on this test's store (the same store on every call within a test). */
  protected abstract LexicalIndex open() throws Exception;

  @BeforeEach
  void openIndex() throws Exception {
    index = open();
  }

  @AfterEach
  void closeIndex() throws Exception {
    if (index != null) {
      index.close();
    }
  }

  protected void reopen() throws Exception {
    index.close();
    index = open();
  }

  protected static Document doc(String id, int version, String collection, String path, String mediaType) {
    return new Document(id, collection, version, path, path, mediaType, null, 0, null, null, null, 0, 0, null, null,
        Instant.EPOCH, Instant.EPOCH, Map.of());
  }

  protected static List<Chunk> chunks(Document d, String... texts) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      chunks.add(new Chunk(d.id() + ":" + d.version() + ":" + i, d.id(), d.version(), i, texts[i], 4,
          Provenance.NONE));
    }
    return chunks;
  }

  private void add(Document d, String... texts) {
    index.add(d, chunks(d, texts));
  }

  private List<String> search(String text, SearchFilter filter, int k) {
    return index.search(new LexicalQuery(text, filter, k)).stream().map(Hit::chunkId).toList();
  }

  @Test
  void moreOccurrencesRankFirstAndKBoundsTheHits() {
    Document d = doc("d1", 1, "c", "a.txt", "text/plain");
    add(d, "lighthouse keeper lighthouse lamp lighthouse", "a lighthouse on the hill", "nothing relevant here");
    add(doc("d2", 1, "c", "b.txt", "text/plain"), "the keeper of the lamp");
    index.commit();

    assertThat(search("lighthouse", SearchFilter.all(), 10)).containsExactly("d1:1:0", "d1:1:1");
    assertThat(search("lighthouse keeper lamp", SearchFilter.all(), 2)).hasSize(2).startsWith("d1:1:0");
    List<Hit> hits = index.search(new LexicalQuery("lighthouse", SearchFilter.all(), 10));
    assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    assertThat(hits.get(0).documentId()).isEqualTo("d1");
    assertThat(hits.get(0).version()).isEqualTo(1);
  }

  @Test
  void filtersRestrictBeforeRanking() {
    add(doc("p1", 1, "c1", "reports/2024/q1.pdf", "application/pdf"), "quarterly revenue");
    add(doc("t1", 1, "c1", "notes/q1.txt", "text/plain"), "revenue revenue revenue notes");
    add(doc("o1", 1, "c2", "reports/q1.pdf", "application/pdf"), "revenue elsewhere");
    index.commit();

    assertThat(search("revenue", SearchFilter.collection("c1"), 10)).containsExactlyInAnyOrder("p1:1:0", "t1:1:0");
    assertThat(search("revenue", new SearchFilter("c1", Set.of(), Set.of("application/pdf"), null), 1))
        .containsExactly("p1:1:0");
    assertThat(search("revenue", new SearchFilter("c1", Set.of(), Set.of(), "reports/"), 10))
        .containsExactly("p1:1:0");
    assertThat(search("revenue", new SearchFilter(null, Set.of("o1", "t1"), Set.of(), null), 10))
        .containsExactlyInAnyOrder("o1:1:0", "t1:1:0");
    assertThat(search("revenue", SearchFilter.collection("c3"), 10)).isEmpty();
  }

  @Test
  void readableCollectionsRestrictBeforeRanking() {
    add(doc("a", 1, "c1", "a.txt", "text/plain"), "harbour");
    add(doc("b", 1, "c2", "b.txt", "text/plain"), "harbour harbour harbour");
    add(doc("c", 1, "c3", "c.txt", "text/plain"), "harbour harbour");
    index.commit();

    assertThat(search("harbour", SearchFilter.all().readableOnly(Set.of("c1", "c3")), 1)).containsExactly("c:1:0");
    assertThat(search("harbour", SearchFilter.all().readableOnly(Set.of("c1", "c3")), 10))
        .containsExactly("c:1:0", "a:1:0");
    assertThat(search("harbour", SearchFilter.collection("c2").readableOnly(Set.of("c1")), 10)).isEmpty();
    assertThat(search("harbour", SearchFilter.all().readableOnly(Set.of()), 10)).isEmpty();
  }

  @Test
  void versionsAreAddedReplacedAndDeletedOneByOne() {
    Document v1 = doc("d", 1, "c", "d.txt", "text/plain");
    Document v2 = doc("d", 2, "c", "d.txt", "text/plain");
    add(v1, "old wording", "old tail");
    add(v2, "new wording");
    add(doc("e", 1, "c", "e.txt", "text/plain"), "wording elsewhere");
    index.commit();
    assertThat(index.versionKeys()).containsExactlyInAnyOrder("d:1", "d:2", "e:1");
    assertThat(index.chunkCount()).isEqualTo(4);

    add(v2, "new wording again"); // re-adding a version replaces its chunks
    index.commit();
    assertThat(index.chunkCount()).isEqualTo(4);
    assertThat(search("again", SearchFilter.all(), 10)).containsExactly("d:2:0");

    index.deleteVersion("d", 1);
    index.commit();
    assertThat(index.versionKeys()).containsExactlyInAnyOrder("d:2", "e:1");
    assertThat(search("old", SearchFilter.all(), 10)).isEmpty();
    assertThat(search("wording", SearchFilter.all(), 10)).containsExactlyInAnyOrder("d:2:0", "e:1:0");

    index.deleteDocument("d");
    index.commit();
    assertThat(index.versionKeys()).containsExactly("e:1");

    add(doc("f", 1, "c", "f.txt", "text/plain"), "wording");
    index.commit();
    index.deleteDocuments(List.of("e", "f"));
    index.commit();
    assertThat(index.versionKeys()).isEmpty();
    assertThat(index.chunkCount()).isZero();
    assertThat(search("wording", SearchFilter.all(), 10)).isEmpty();
  }

  @Test
  void queriesWithoutSearchableTermsMatchNothing() {
    add(doc("d1", 1, "c", "d1.txt", "text/plain"), "the and of");
    index.commit();
    assertThat(search("the of ... !!", SearchFilter.all(), 10)).isEmpty();
  }

  @Test
  void commitsSurviveReopening() throws Exception {
    add(doc("d1", 1, "c", "d1.txt", "text/plain"), "persistent words");
    index.commit();
    reopen();
    assertThat(search("persistent", SearchFilter.all(), 10)).containsExactly("d1:1:0");
    assertThat(index.versionKeys()).containsExactly("d1:1");
  }
}
