package rag.storage.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rag.storage.Fixtures;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/** What both vector engines must do, on the real engines. */
public abstract class VectorStoreContract {
  protected static final int DIM = 32;
  protected VectorStore store;

  protected abstract VectorStore open(int dimension, String model);

  @BeforeEach
  void openStore() {
    store = open(DIM, "contract-model");
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected static Document doc(String id, int version, String collection, String mediaType, String path) {
    return new Document(id, collection, version, null, path, mediaType, "sha", 1, null, null, null, 0, 0, null, null,
        Instant.EPOCH, Instant.EPOCH, Map.of());
  }

  protected static List<EmbeddedChunk> vectors(Document d, List<float[]> vectors) {
    List<EmbeddedChunk> out = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      out.add(new EmbeddedChunk(new Chunk(null, d.id(), d.version(), i, "t" + i, 1, Provenance.NONE), vectors.get(i)));
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void nearestReturnsCosineSimilarityBestFirst() {
    Document d = doc("d1", 1, "c", "text/plain", "a.txt");
    List<float[]> vs = IntStream.range(0, 8).mapToObj(i -> Fixtures.vector(DIM, i, i)).toList();
    store.upsert(d, vectors(d, vs));
    float[] query = Fixtures.vector(DIM, 3, 100);

    List<Hit> hits = store.nearest(new VectorQuery(query, null, 3));
    assertThat(hits).hasSize(3);
    assertThat(hits.get(0).chunkId()).isEqualTo("d1:1:3");
    assertThat(hits.get(0).documentId()).isEqualTo("d1");
    assertThat(hits.get(0).version()).isEqualTo(1);
    assertThat((double) hits.get(0).score()).isCloseTo(cosine(query, vs.get(3)), Offset.offset(1e-4));
    assertThat(hits).isSortedAccordingTo(Comparator.comparing(Hit::score).reversed());
    assertThat(store.vectorCount()).isEqualTo(8);
  }

  @Test
  void filtersRestrictNearest() {
    Document a = doc("a", 1, "c1", "application/pdf", "reports/2024/a.pdf");
    Document b = doc("b", 1, "c1", "text/plain", "notes/b.txt");
    Document c = doc("c", 1, "c2", "application/pdf", "reports/c.pdf");
    for (Document d : List.of(a, b, c)) {
      store.upsert(d, vectors(d, List.of(Fixtures.vector(DIM, 0, d.id().hashCode()))));
    }
    float[] q = Fixtures.vector(DIM, 0, 7);
    assertThat(ids(new SearchFilter("c1", null, null, null))).containsExactlyInAnyOrder("a", "b");
    assertThat(ids(new SearchFilter(null, null, Set.of("application/pdf"), null))).containsExactlyInAnyOrder("a", "c");
    assertThat(ids(new SearchFilter(null, null, null, "reports/"))).containsExactlyInAnyOrder("a", "c");
    assertThat(ids(new SearchFilter(null, null, null, "reports/2024"))).containsExactly("a");
    assertThat(ids(new SearchFilter(null, Set.of("b", "c"), null, null))).containsExactlyInAnyOrder("b", "c");
    assertThat(ids(new SearchFilter("c2", null, Set.of("text/plain"), null))).isEmpty();
    assertThat(q).hasSize(DIM);
  }

  @Test
  void readableCollectionsRestrictNearest() {
    for (Document d : List.of(doc("a", 1, "c1", "text/plain", "a.txt"), doc("b", 1, "c2", "text/plain", "b.txt"),
        doc("c", 1, "c3", "text/plain", "c.txt"))) {
      store.upsert(d, vectors(d, List.of(Fixtures.vector(DIM, 0, d.id().hashCode()))));
    }
    assertThat(ids(SearchFilter.all().readableOnly(Set.of("c1", "c3")))).containsExactlyInAnyOrder("a", "c");
    assertThat(ids(SearchFilter.collection("c2").readableOnly(Set.of("c1", "c3")))).isEmpty();
    assertThat(ids(SearchFilter.all().readableOnly(Set.of()))).isEmpty();
    assertThat(ids(SearchFilter.all().readableOnly(Set.of("c1", "c2")).readableOnly(Set.of("c2", "c3"))))
        .containsExactly("b");
  }

  private List<String> ids(SearchFilter filter) {
    return store.nearest(new VectorQuery(Fixtures.vector(DIM, 0, 7), filter, 10)).stream()
        .map(Hit::documentId).toList();
  }

  /** A selective filter must still return k results, not just those HNSW's first beam happened to reach. */
  @Test
  void selectiveFilterStillReturnsK() {
    Document big = doc("big", 1, "big", "text/plain", "big.txt");
    store.upsert(big, vectors(big, IntStream.range(0, 600).mapToObj(i -> Fixtures.vector(DIM, 0, i)).toList()));
    Document small = doc("small", 1, "small", "text/plain", "small.txt");
    store.upsert(small, vectors(small, IntStream.range(0, 12).mapToObj(i -> Fixtures.vector(DIM, 5, i)).toList()));

    List<Hit> hits = store.nearest(new VectorQuery(Fixtures.vector(DIM, 0, 1), SearchFilter.collection("small"), 10));
    assertThat(hits).hasSize(10).allMatch(h -> h.documentId().equals("small"));
  }

  @Test
  void upsertReplacesAVersionAndDeletesRemoveIt() {
    Document v1 = doc("d", 1, "c", "text/plain", "d.txt");
    Document v2 = doc("d", 2, "c", "text/plain", "d.txt");
    store.upsert(v1, vectors(v1, List.of(Fixtures.vector(DIM, 1, 1), Fixtures.vector(DIM, 2, 2))));
    store.upsert(v1, vectors(v1, List.of(Fixtures.vector(DIM, 1, 1))));
    store.upsert(v2, vectors(v2, List.of(Fixtures.vector(DIM, 3, 3))));
    assertThat(store.vectorCount()).isEqualTo(2);
    assertThat(store.versionKeys()).containsExactlyInAnyOrder("d:1", "d:2");
    assertThat(store.vectorCount("d", 1)).isEqualTo(1);
    assertThat(store.vectorCount("d", 2)).isEqualTo(1);
    assertThat(store.vectorCount("d", 3)).isZero();

    store.deleteVersion("d", 1);
    assertThat(store.versionKeys()).containsExactly("d:2");
    assertThat(store.vectorCount("d", 1)).isZero();
    store.deleteDocument("d");
    assertThat(store.vectorCount()).isZero();
    assertThat(store.nearest(new VectorQuery(Fixtures.vector(DIM, 3, 3), null, 5))).isEmpty();
  }

  @Test
  void deleteCollectionRemovesThatCollectionsVectorsOnly() {
    Document a = doc("a", 1, "old", "text/plain", "a.txt");
    Document b = doc("b", 3, "old", "text/plain", "b.txt");
    Document c = doc("c", 1, "kept", "text/plain", "c.txt");
    for (Document d : List.of(a, b, c)) {
      store.upsert(d, vectors(d, List.of(Fixtures.vector(DIM, 1, 1), Fixtures.vector(DIM, 2, 2))));
    }
    store.deleteCollection("old");

    assertThat(store.versionKeys()).containsExactly("c:1");
    assertThat(store.vectorCount()).isEqualTo(2);
    assertThat(store.nearest(new VectorQuery(Fixtures.vector(DIM, 1, 1), null, 10)))
        .extracting(Hit::documentId).containsOnly("c");
  }

  @Test
  void wrongDimensionsAreRefused() throws Exception {
    Document d = doc("d", 1, "c", "text/plain", "d.txt");
    assertThatThrownBy(() -> store.upsert(d, vectors(d, List.of(new float[DIM + 1]))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension " + (DIM + 1));
    assertThatThrownBy(() -> store.nearest(new VectorQuery(new float[3], null, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 3");

    store.close();
    store = null;
    // each generation has a store of its own: a store holding other vectors is not this generation's
    assertThatThrownBy(() -> open(DIM + 8, "contract-model"))
        .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("holds " + DIM + "-dimension vectors")
        .hasMessageContaining("not the " + (DIM + 8) + "-dimension vectors");
    store = open(DIM, "contract-model");
    assertThat(store.dimension()).isEqualTo(DIM);
  }

  /** HNSW with the default ef_search finds nearly all of the exact top 10 on clustered data. */
  @Test
  void recallAtTenAgainstExactSearch() {
    Random random = new Random(42);
    List<float[]> centroids = IntStream.range(0, 20).mapToObj(i -> Fixtures.vector(DIM, i, 1000 + i)).toList();
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      float[] c = centroids.get(random.nextInt(centroids.size()));
      float[] v = new float[DIM];
      for (int j = 0; j < DIM; j++) {
        v[j] = c[j] + (float) (random.nextGaussian() * 0.15);
      }
      all.add(Fixtures.normalize(v));
    }
    Document d = doc("r", 1, "c", "text/plain", "r.txt");
    store.upsert(d, vectors(d, all));

    int found = 0;
    int queries = 50;
    for (int q = 0; q < queries; q++) {
      float[] query = all.get(random.nextInt(all.size())).clone();
      query[q % DIM] += 0.05f;
      Set<String> exact = new HashSet<>();
      List<Integer> order = IntStream.range(0, all.size()).boxed()
          .sorted(Comparator.comparingDouble(i -> -cosine(query, all.get(i)))).limit(10).toList();
      order.forEach(i -> exact.add("r:1:" + i));
      for (Hit h : store.nearest(new VectorQuery(query, null, 10))) {
        if (exact.contains(h.chunkId())) {
          found++;
        }
      }
    }
    double recall = found / (10.0 * queries);
    assertThat(recall).as("recall@10").isGreaterThanOrEqualTo(0.95);
  }
}
