package rag.storage.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import rag.storage.lexical.Bm25Params;
import rag.storage.lexical.QueryTerms;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.SearchFilter;
import rag.storage.vector.HnswParams;

/**
 * The chunk indexes' settings and mappings, and the search filter as OpenSearch queries. The analysis chains are
 * {@link rag.storage.lexical.Analyzers}' in OpenSearch's terms (checked token for token by OpenSearchAnalysisIT):
 * <ul>
 *   <li>prose: standard tokenizer, English possessives, lower case, English stop words, Porter stemming;</li>
 *   <li>code: runs of letters, digits and underscores, each kept whole and split at camelCase, snake_case and digit
 *       boundaries, lower case;</li>
 *   <li>title: code's tokens, then English stop words and Porter stemming.</li>
 * </ul>
 * Every text field scores with BM25 at the configured k1 and b, as Lucene does.
 */
final class ChunkIndexMapping {
  static final String ORDINAL = "ordinal";
  static final String CHUNK_TOTAL = "chunk_total";
  static final String VECTOR = "vector";
  static final String META_MODEL = "model";
  static final String META_DIMENSION = "dimension";
  private static final int COMPOSITE_PAGE = 10_000;

  private ChunkIndexMapping() {}

  static ObjectNode lexical(int shards, int replicas, Bm25Params bm25) {
    ObjectNode body = OpenSearchClient.object();
    ObjectNode settings = body.putObject("settings");
    settings.putObject("index").put("number_of_shards", shards).put("number_of_replicas", replicas);
    settings.putObject("similarity").putObject("default").put("type", "BM25").put("k1", bm25.k1()).put("b", bm25.b());
    ObjectNode analysis = settings.putObject("analysis");
    analysis.putObject("tokenizer").putObject("rag_identifiers").put("type", "pattern")
        .put("pattern", "[^\\p{L}\\p{Nd}_]+");
    ObjectNode filters = analysis.putObject("filter");
    filters.putObject("rag_possessive").put("type", "stemmer").put("language", "possessive_english");
    filters.putObject("rag_english_stop").put("type", "stop").put("stopwords", "_english_");
    filters.putObject("rag_identifier_parts").put("type", "word_delimiter_graph")
        .put("generate_word_parts", true).put("generate_number_parts", true)
        .put("split_on_case_change", true).put("split_on_numerics", true).put("preserve_original", true)
        .put("catenate_words", false).put("catenate_numbers", false).put("catenate_all", false)
        .put("stem_english_possessive", false);
    ObjectNode analyzers = analysis.putObject("analyzer");
    analyzer(analyzers, "rag_prose", "standard", "rag_possessive", "lowercase", "rag_english_stop", "porter_stem");
    analyzer(analyzers, "rag_code", "rag_identifiers", "rag_identifier_parts", "flatten_graph", "lowercase");
    analyzer(analyzers, "rag_title", "rag_identifiers", "rag_identifier_parts", "flatten_graph", "lowercase",
        "rag_english_stop", "porter_stem");

    ObjectNode mappings = body.putObject("mappings");
    mappings.put("dynamic", "strict");
    mappings.putObject("_source").putArray("excludes").add(QueryTerms.TEXT).add(QueryTerms.CODE)
        .add(QueryTerms.TITLE);
    ObjectNode properties = bookkeeping(mappings.putObject("properties"));
    properties.putObject(QueryTerms.TEXT).put("type", "text").put("analyzer", "rag_prose");
    properties.putObject(QueryTerms.CODE).put("type", "text").put("analyzer", "rag_code");
    properties.putObject(QueryTerms.TITLE).put("type", "text").put("analyzer", "rag_title");
    return body;
  }

  /**
   * A vector generation's index: the bookkeeping fields and a {@code knn_vector} on the lucene engine (HNSW in
   * Lucene, cosine), named explicitly because OpenSearch 2.19 defaults to faiss, whose native library the Maven
   * artifacts lack. The model and dimension are kept in the mapping's {@code _meta}. Vectors are left out of
   * {@code _source}: the search needs only the HNSW graph and the vector values, and a rebuild reads PostgreSQL.
   */
  static ObjectNode vectors(int shards, int replicas, HnswParams hnsw, String model, int dimension) {
    ObjectNode body = OpenSearchClient.object();
    body.putObject("settings").putObject("index").put("number_of_shards", shards).put("number_of_replicas", replicas)
        .put("knn", true);
    ObjectNode mappings = body.putObject("mappings");
    mappings.put("dynamic", "strict");
    mappings.putObject("_meta").put(META_MODEL, model).put(META_DIMENSION, dimension);
    mappings.putObject("_source").putArray("excludes").add(VECTOR);
    ObjectNode properties = bookkeeping(mappings.putObject("properties"));
    ObjectNode vector = properties.putObject(VECTOR).put("type", "knn_vector").put("dimension", dimension);
    vector.putObject("method").put("name", "hnsw").put("space_type", "cosinesimil").put("engine", "lucene")
        .putObject("parameters").put("m", hnsw.m()).put("ef_construction", hnsw.efConstruction());
    return body;
  }

  private static ObjectNode bookkeeping(ObjectNode properties) {
    for (String keyword : new String[] {ManagedIndex.DOCUMENT_ID, ManagedIndex.VERSION_KEY, ManagedIndex.COLLECTION,
        ManagedIndex.MEDIA_TYPE, ManagedIndex.SOURCE_PATH}) {
      properties.putObject(keyword).put("type", "keyword");
    }
    properties.putObject(ManagedIndex.VERSION).put("type", "integer");
    properties.putObject(ORDINAL).put("type", "integer");
    properties.putObject(CHUNK_TOTAL).put("type", "integer").put("index", false);
    return properties;
  }

  private static void analyzer(ObjectNode analyzers, String name, String tokenizer, String... filters) {
    ObjectNode a = analyzers.putObject(name).put("type", "custom").put("tokenizer", tokenizer);
    ArrayNode chain = a.putArray("filter");
    for (String f : filters) {
      chain.add(f);
    }
  }

  /** The filter as clauses of a bool query's filter array (the same rules as the Lucene indexes'). */
  static void filterClauses(SearchFilter filter, ArrayNode clauses) {
    if (filter.collection() != null) {
      clauses.addObject().putObject("term").put(ManagedIndex.COLLECTION, filter.collection());
    }
    if (filter.readable() != null) {
      terms(clauses, ManagedIndex.COLLECTION, filter.readable());
    }
    if (!filter.documentIds().isEmpty()) {
      terms(clauses, ManagedIndex.DOCUMENT_ID, filter.documentIds());
    }
    if (!filter.mediaTypes().isEmpty()) {
      terms(clauses, ManagedIndex.MEDIA_TYPE, filter.mediaTypes());
    }
    if (filter.pathPrefix() != null) {
      clauses.addObject().putObject("prefix").put(ManagedIndex.SOURCE_PATH, filter.pathPrefix());
    }
  }

  private static void terms(ArrayNode clauses, String field, Set<String> values) {
    ArrayNode array = clauses.addObject().putObject("terms").putArray(field);
    values.forEach(array::add);
  }

  /** Every distinct value of a keyword field, paged through a composite aggregation. */
  static Set<String> distinctKeywords(OpenSearchClient client, String index, String field) {
    Set<String> values = new HashSet<>();
    JsonNode after = null;
    while (true) {
      ObjectNode body = OpenSearchClient.object();
      body.put("size", 0);
      ObjectNode composite = body.putObject("aggs").putObject("values").putObject("composite");
      composite.put("size", COMPOSITE_PAGE);
      composite.putArray("sources").addObject().putObject("v").putObject("terms").put("field", field);
      if (after != null) {
        composite.set("after", after);
      }
      JsonNode agg = client.call("POST", "/" + index + "/_search", body).path("aggregations").path("values");
      for (JsonNode bucket : agg.path("buckets")) {
        values.add(bucket.path("key").path("v").asText());
      }
      after = agg.get("after_key");
      if (after == null || agg.path("buckets").size() < COMPOSITE_PAGE) {
        return values;
      }
    }
  }
}
