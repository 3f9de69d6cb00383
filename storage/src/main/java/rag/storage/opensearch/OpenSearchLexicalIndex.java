package rag.storage.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.lucene.analysis.Analyzer;
import rag.storage.lexical.Bm25Params;
import rag.storage.lexical.LexicalIndex;
import rag.storage.lexical.LexicalQuery;
import rag.storage.lexical.QueryTerms;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.MediaTypes;
import rag.storage.model.SearchFilter;

/**
 * BM25 on an OpenSearch cluster: the same fields, analysis and BM25 parameters as
 * {@link rag.storage.lexical.LuceneLexicalIndex}, one OpenSearch document per chunk with the chunk id as its id.
 * Queries are analysed here with Lucene's analyzers and sent as term queries, so both engines run the same query;
 * the index maps the same analysis chains for the chunk text ({@link ChunkIndexMapping}). Scores use the whole
 * index's statistics ({@code dfs_query_then_fetch}), not one shard's, so a sharded index ranks like a single Lucene
 * index. OpenSearch's BM25 is Lucene's legacy formula, which multiplies every score by (k1 + 1); hits are divided by
 * it, so both engines report the same scores.
 *
 * <p>Chunk text is indexed, not kept in {@code _source}: PostgreSQL holds it, and the index is rebuilt from there.
 */
public final class OpenSearchLexicalIndex implements LexicalIndex {
  private static final int DELETE_BATCH = 1_000;
  private static final Duration OPTIMIZE_WAIT = Duration.ofMinutes(30);

  private final OpenSearchClient client;
  private final IndexAlias alias;
  private final Bm25Params bm25;
  private final Analyzer analyzer = QueryTerms.analyzer();
  /** Writes since the last refresh: a delete by query sees only refreshed documents, so it refreshes first. */
  private final AtomicBoolean unrefreshed = new AtomicBoolean();

  public OpenSearchLexicalIndex(OpenSearchClient client, OpenSearchSettings settings, Bm25Params bm25) {
    this.client = client;
    this.alias = new IndexAlias(client, settings.index());
    this.bm25 = bm25;
    alias.ensure(ChunkIndexMapping.lexical(settings.shards(), settings.replicas(), bm25));
  }

  /** The alias searched and written. */
  public String alias() {
    return alias.name();
  }

  /**
   * Indexes the version's chunks by id and, in the same bulk request, deletes the chunks an earlier add of the same
   * version had beyond these (its chunk count is read from its first chunk, in real time).
   */
  @Override
  public void add(Document document, List<Chunk> chunks) {
    boolean code = MediaTypes.isSourceCode(document.mediaType());
    List<JsonNode> lines = new ArrayList<>(chunks.size() * 2 + 1);
    for (Chunk chunk : chunks) {
      if (!chunk.documentId().equals(document.id()) || chunk.version() != document.version()) {
        throw new IllegalArgumentException("chunk " + chunk.id() + " does not belong to document " + document.id()
            + " version " + document.version());
      }
      lines.add(action("index", ChunkId.of(document.id(), document.version(), chunk.ordinal())));
      lines.add(source(document, chunk, chunks.size(), code));
    }
    int before = indexedChunkCount(document.id(), document.version());
    for (int ordinal = chunks.size(); ordinal < before; ordinal++) {
      lines.add(action("delete", ChunkId.of(document.id(), document.version(), ordinal)));
    }
    client.bulk(lines, false);
    unrefreshed.set(true);
  }

  private ObjectNode source(Document document, Chunk chunk, int total, boolean code) {
    ObjectNode s = OpenSearchClient.object();
    s.put(ManagedIndex.DOCUMENT_ID, document.id());
    s.put(ManagedIndex.VERSION, document.version());
    s.put(ManagedIndex.VERSION_KEY, ChunkId.versionKey(document.id(), document.version()));
    s.put(ManagedIndex.COLLECTION, document.collection());
    s.put(ManagedIndex.MEDIA_TYPE, document.mediaType());
    s.put(ManagedIndex.SOURCE_PATH, document.sourcePath());
    s.put(ChunkIndexMapping.ORDINAL, chunk.ordinal());
    s.put(ChunkIndexMapping.CHUNK_TOTAL, total);
    ArrayNode text = s.putArray(QueryTerms.TEXT);
    if (code) {
      s.put(QueryTerms.CODE, chunk.text());
    } else {
      text.add(chunk.text());
    }
    if (document.title() != null && chunk.ordinal() == 0) {
      text.add(document.title());
    }
    String header = ChunkContext.header(document, chunk);
    if (!header.isEmpty()) {
      s.put(QueryTerms.TITLE, header);
    }
    return s;
  }

  private ObjectNode action(String type, String id) {
    ObjectNode a = OpenSearchClient.object();
    a.putObject(type).put("_index", alias.name()).put("_id", id);
    return a;
  }

  /** How many chunks the version has in the index now (real time: unrefreshed writes count), 0 when none. */
  private int indexedChunkCount(String documentId, int version) {
    String path = "/" + alias.name() + "/_doc/" + urlEncode(ChunkId.of(documentId, version, 0))
        + "?_source_includes=" + ChunkIndexMapping.CHUNK_TOTAL;
    OpenSearchClient.Response r = client.exchange("GET", path, null);
    if (r.status() == 404) {
      return 0;
    }
    if (!r.ok()) {
      throw OpenSearchClient.failure("GET", path, r);
    }
    return r.body().path("_source").path(ChunkIndexMapping.CHUNK_TOTAL).asInt(0);
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    deleteWhere(q -> q.putObject("term").put(ManagedIndex.VERSION_KEY, ChunkId.versionKey(documentId, version)));
  }

  @Override
  public void deleteDocument(String documentId) {
    deleteDocuments(List.of(documentId));
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    List<String> ids = List.copyOf(new HashSet<>(documentIds));
    for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH));
      deleteWhere(q -> {
        ArrayNode values = q.putObject("terms").putArray(ManagedIndex.DOCUMENT_ID);
        batch.forEach(values::add);
      });
    }
  }

  private void deleteWhere(Consumer<ObjectNode> query) {
    if (unrefreshed.getAndSet(false)) {
      refresh();
    }
    ObjectNode body = OpenSearchClient.object();
    query.accept(body.putObject("query"));
    String path = "/" + alias.name() + "/_delete_by_query?conflicts=proceed&refresh=false";
    JsonNode r = client.call("POST", path, body);
    if (r.path("failures").size() > 0) {
      throw new rag.storage.catalog.StorageException("OpenSearch could not delete every chunk asked for in "
          + alias.name() + ": " + r.path("failures").get(0));
    }
    unrefreshed.set(true);
  }

  @Override
  public void commit() {
    unrefreshed.set(false);
    refresh();
  }

  private void refresh() {
    client.call("POST", "/" + alias.name() + "/_refresh", null);
  }

  @Override
  public List<Hit> search(LexicalQuery query) {
    QueryTerms terms = QueryTerms.of(analyzer, query.text());
    SearchFilter filter = query.filter();
    if (terms.matchesNothing() || (filter.readable() != null && filter.readable().isEmpty())) {
      return List.of();
    }
    ObjectNode body = OpenSearchClient.object();
    body.put("size", query.k()).put("_source", false).put("track_total_hits", false);
    ObjectNode bool = body.putObject("query").putObject("bool");
    ArrayNode should = bool.putArray("must").addObject().putObject("bool").putArray("should");
    terms.text().forEach(t -> should.addObject().putObject("term").put(QueryTerms.TEXT, t));
    terms.code().forEach(t -> should.addObject().putObject("term").put(QueryTerms.CODE, t));
    if (bm25.titleWeight() > 0) {
      terms.title().forEach(t -> should.addObject().putObject("term").putObject(QueryTerms.TITLE)
          .put("value", t).put("boost", bm25.titleWeight()));
    }
    ChunkIndexMapping.filterClauses(filter, bool.putArray("filter"));
    JsonNode r = client.call("POST", "/" + alias.name() + "/_search?search_type=dfs_query_then_fetch", body);
    List<Hit> hits = new ArrayList<>();
    for (JsonNode hit : r.path("hits").path("hits")) {
      ChunkId id = ChunkId.parse(hit.path("_id").asText())
          .orElseThrow(() -> new IllegalStateException("not a chunk id in " + alias.name() + ": " + hit.path("_id")));
      float score = (float) (hit.path("_score").asDouble() / (1 + bm25.k1()));
      hits.add(new Hit(id.toString(), id.documentId(), id.version(), score));
    }
    return hits;
  }

  @Override
  public Set<String> versionKeys() {
    return ChunkIndexMapping.distinctKeywords(client, alias.name(), ManagedIndex.VERSION_KEY);
  }

  @Override
  public long chunkCount() {
    return client.call("GET", "/" + alias.name() + "/_count", null).path("count").asLong();
  }

  @Override
  public String optimize() {
    JsonNode r = client.callSlow("POST", "/" + alias.name() + "/_forcemerge?max_num_segments=1", null,
        OPTIMIZE_WAIT);
    return "force-merged " + alias.name() + " to one segment per shard (" + r.path("_shards").path("successful")
        .asInt() + " shard copies)";
  }

  /** Deletes the alias and its indexes: everything this index held. */
  public void drop() {
    alias.deleteAll();
  }

  @Override
  public void close() {
    analyzer.close();
  }

  static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
