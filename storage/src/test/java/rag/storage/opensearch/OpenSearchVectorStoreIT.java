package rag.storage.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rag.storage.Fixtures;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.vector.HnswParams;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorQuery;
import rag.storage.vector.VectorStore;
import rag.storage.vector.VectorStoreContract;

/** Vectors on the real OpenSearch cluster (k-NN plugin, lucene engine): the vector store contract, and the mapping. */
class OpenSearchVectorStoreIT extends VectorStoreContract {
  private final OpenSearchSettings settings = TestOpenSearch.settings();
  private final OpenSearchClient client = new OpenSearchClient(settings);
  private final OpenSearchGenerationStores stores = new OpenSearchGenerationStores(client, settings,
      HnswParams.DEFAULT);

  @Override
  protected VectorStore open(int dimension, String model) {
    return stores.open(new VectorGeneration(1, model, dimension));
  }

  @AfterEach
  void dropIndexes() {
    stores.drop(new VectorGeneration(1, "contract-model", DIM));
  }

  @Test
  void theVectorsUseTheLuceneEngineAndAreLeftOutOfTheSource() {
    var mapping = client.call("GET", "/" + settings.vectorAlias(1) + "/_mapping", null).elements().next()
        .path("mappings");
    assertThat(mapping.path("properties").path("vector").path("method").path("engine").asText()).isEqualTo("lucene");
    assertThat(mapping.path("_source").path("excludes").toString()).contains("vector");
    assertThat(mapping.path("_meta").path("model").asText()).isEqualTo("contract-model");

    Document d = doc("d", 1, "c", "text/plain", "d.txt");
    store.upsert(d, vectors(d, List.of(Fixtures.vector(DIM, 1, 1))));
    var stored = client.call("GET", "/" + settings.vectorAlias(1) + "/_doc/d:1:0", null).path("_source");
    assertThat(stored.has("vector")).isFalse();
    assertThat(stored.path("document_id").asText()).isEqualTo("d");
  }

  @Test
  void eachGenerationHasAnIndexOfItsOwn() throws Exception {
    Document d = doc("d", 1, "c", "text/plain", "d.txt");
    store.upsert(d, vectors(d, List.of(Fixtures.vector(DIM, 1, 1))));
    try (VectorStore second = stores.open(new VectorGeneration(2, "other-model", 8))) {
      assertThat(second.vectorCount()).isZero();
      second.upsert(d, vectors(d, List.of(Fixtures.vector(8, 1, 1))));
      assertThat(second.nearest(new VectorQuery(Fixtures.vector(8, 1, 1), null, 3)))
          .extracting(Hit::chunkId).containsExactly("d:1:0");
    } finally {
      stores.drop(new VectorGeneration(2, "other-model", 8));
    }
    assertThat(store.vectorCount()).isEqualTo(1);
  }
}
