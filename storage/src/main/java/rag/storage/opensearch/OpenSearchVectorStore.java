package rag.storage.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.vector.DimensionMismatchException;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.HnswParams;
import rag.storage.vector.VectorGeneration;
import rag.storage.vector.VectorQuery;
import rag.storage.vector.VectorStore;

/**
 * One vector generation's HNSW index on an OpenSearch cluster (k-NN plugin, lucene engine, cosine), behind the
 * alias {@code <prefix>-vectors-g<N>}. Filters are applied inside the k-NN search (Lucene's filtered HNSW search,
 * which falls back to exact search when the filter is selective), so a filtered search still finds k hits. Writes
 * and deletes refresh before they return, as the interface promises (visible when this returns).
 */
public final class OpenSearchVectorStore implements VectorStore {
  private final OpenSearchClient client;
  private final IndexAlias alias;
  /** What is searched and written: the alias, or the new generation a rebuild fills. */
  private final String target;
  private final ChunkDocuments chunks;
  private final int dimension;
  private final int efSearch;
  private final ObjectNode mapping;

  public OpenSearchVectorStore(OpenSearchClient client, OpenSearchSettings settings, HnswParams hnsw,
      VectorGeneration generation) {
    this(client, new IndexAlias(client, settings.vectorAlias(generation.id())),
        settings.vectorAlias(generation.id()), generation.dimension(), hnsw.efSearch(),
        ChunkIndexMapping.vectors(settings.shards(), settings.replicas(), hnsw, generation.model(),
            generation.dimension()));
    alias.ensure(mapping);
    JsonNode meta = storedMeta();
    int stored = meta.path(ChunkIndexMapping.META_DIMENSION).asInt();
    String storedModel = meta.path(ChunkIndexMapping.META_MODEL).asText();
    if (stored != generation.dimension() || !storedModel.equals(generation.model())) {
      throw new DimensionMismatchException("OpenSearch index " + alias.name(), stored, storedModel,
          generation.dimension(), generation.model());
    }
  }

  private OpenSearchVectorStore(OpenSearchClient client, IndexAlias alias, String target, int dimension,
      int efSearch, ObjectNode mapping) {
    this.client = client;
    this.alias = alias;
    this.target = target;
    this.chunks = new ChunkDocuments(client, target);
    this.dimension = dimension;
    this.efSearch = efSearch;
    this.mapping = mapping;
  }

  /**
   * Rebuilds the generation's index as {@link OpenSearchLexicalIndex#rebuild} does: {@code fill} writes a new
   * index, then the alias switches to it at once and the old one is deleted. Returns the new index.
   */
  public String rebuild(Consumer<VectorStore> fill) {
    String next = alias.createNext(mapping);
    try (OpenSearchVectorStore writer = new OpenSearchVectorStore(client, alias, next, dimension, efSearch,
        mapping)) {
      fill.accept(writer);
    }
    alias.switchTo(next);
    return next;
  }

  private JsonNode storedMeta() {
    JsonNode mappings = client.call("GET", "/" + alias.name() + "/_mapping", null);
    return mappings.elements().next().path("mappings").path("_meta");
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(Document document, List<EmbeddedChunk> vectors) {
    List<ObjectNode> sources = new ArrayList<>(vectors.size());
    for (EmbeddedChunk e : vectors) {
      requireDimension(e.vector());
      if (!e.chunk().documentId().equals(document.id()) || e.chunk().version() != document.version()
          || e.chunk().ordinal() != sources.size()) {
        throw new IllegalArgumentException("chunk " + e.chunk().id() + " is not chunk " + sources.size()
            + " of document " + document.id() + " version " + document.version());
      }
      ObjectNode s = ChunkDocuments.source(document, e.chunk().ordinal(), vectors.size());
      ArrayNode v = s.putArray(ChunkIndexMapping.VECTOR);
      for (float x : e.vector()) {
        v.add(x);
      }
      sources.add(s);
    }
    chunks.replaceVersion(document.id(), document.version(), sources, true);
  }

  private void requireDimension(float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("a vector of dimension " + vector.length + " cannot go into "
          + alias.name() + ", which holds " + dimension + "-dimension vectors");
    }
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    chunks.deleteVersion(documentId, version, true);
  }

  /** Deletes, for each document, its versions before the one given (version by document id). */
  public void deleteOlderVersions(Map<String, Integer> below) {
    chunks.deleteOlderVersions(below, true);
  }

  @Override
  public void deleteDocument(String documentId) {
    chunks.deleteDocuments(List.of(documentId), true);
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    chunks.deleteDocuments(documentIds, true);
  }

  @Override
  public void deleteCollection(String collection) {
    chunks.deleteWhere(q -> q.putObject("term").put(ManagedIndex.COLLECTION, collection), true);
  }

  /** Scores: OpenSearch reports (1 + cosine) / 2 for the cosine space; hits carry the cosine itself. */
  @Override
  public List<Hit> nearest(VectorQuery query) {
    if (query.vector().length != dimension) {
      throw new IllegalArgumentException("a query vector of dimension " + query.vector().length
          + " cannot search " + alias.name() + ", which holds " + dimension + "-dimension vectors");
    }
    if (query.filter().readable() != null && query.filter().readable().isEmpty()) {
      return List.of();
    }
    ObjectNode body = OpenSearchClient.object();
    body.put("size", query.k()).put("_source", false).put("track_total_hits", false);
    ObjectNode knn = body.putObject("query").putObject("knn").putObject(ChunkIndexMapping.VECTOR);
    ArrayNode v = knn.putArray("vector");
    for (float x : query.vector()) {
      v.add(x);
    }
    knn.put("k", Math.max(query.k(), efSearch));
    ArrayNode filters = OpenSearchClient.object().putArray("filter");
    ChunkIndexMapping.filterClauses(query.filter(), filters);
    if (!filters.isEmpty()) {
      knn.putObject("filter").putObject("bool").set("filter", filters);
    }
    JsonNode answer = client.call("POST", "/" + target + "/_search", body);
    return ChunkDocuments.hits(answer, target, score -> 2 * score - 1);
  }

  @Override
  public Set<String> versionKeys() {
    return chunks.versionKeys();
  }

  @Override
  public long vectorCount() {
    return chunks.count(null);
  }

  @Override
  public long vectorCount(String documentId, int version) {
    return chunks.count(q -> q.putObject("term").put(ManagedIndex.VERSION_KEY, ChunkId.versionKey(documentId,
        version)));
  }

  @Override
  public String optimize() {
    return chunks.forceMerge();
  }

  /** Deletes the alias and its indexes: every vector of the generation. */
  public void drop() {
    alias.deleteAll();
  }

  @Override
  public void close() {}
}
