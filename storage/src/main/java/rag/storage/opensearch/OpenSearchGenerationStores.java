package rag.storage.opensearch;

import java.util.Optional;
import rag.storage.vector.GenerationStores;
import rag.storage.vector.HnswParams;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorStore;

/** Each vector generation's index on the search cluster, behind the alias {@code <prefix>-vectors-g<N>}. */
public final class OpenSearchGenerationStores implements GenerationStores {
  private final OpenSearchClient client;
  private final OpenSearchSettings settings;
  private final HnswParams hnsw;

  public OpenSearchGenerationStores(OpenSearchClient client, OpenSearchSettings settings, HnswParams hnsw) {
    this.client = client;
    this.settings = settings;
    this.hnsw = hnsw;
  }

  /** The cluster mode never had vectors from before generations. */
  @Override
  public Optional<VectorGeneration> unversioned() {
    return Optional.empty();
  }

  @Override
  public VectorStore open(VectorGeneration generation) {
    return new OpenSearchVectorStore(client, settings, hnsw, generation);
  }

  @Override
  public void drop(VectorGeneration generation) {
    new IndexAlias(client, settings.vectorAlias(generation.id())).deleteAll();
  }
}
