package rag.storage.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import rag.storage.catalog.StorageException;
import rag.storage.lucene.ManagedIndex;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Hit;

/**
 * The chunk documents behind one alias, one per chunk with the chunk id as id, as both OpenSearch stores keep them:
 * each carries its document's bookkeeping fields (the ones filters and deletes use), its ordinal and its version's
 * chunk count. Versions are replaced by id, deleted by query, counted and listed here.
 *
 * <p>The document version is part of every id, so writing a version again (a retry, the search outbox catching up, a
 * worker taking a file over) overwrites exactly its own chunks and never another version's: writes are idempotent
 * without OpenSearch's external versioning, which would refuse, for {@code index.gc_deletes} (60 s), a version
 * written again after it was deleted (a staged version discarded and staged anew under its number).
 */
final class ChunkDocuments {
  private static final int DELETE_BATCH = 1_000;

  private final OpenSearchClient client;
  /** The alias (or, while a rebuild fills it, the concrete index) written and read. */
  private final String target;
  /** Writes since the last refresh: a delete by query sees only refreshed documents, so it refreshes first. */
  private final AtomicBoolean unrefreshed = new AtomicBoolean();

  ChunkDocuments(OpenSearchClient client, String target) {
    this.client = client;
    this.target = target;
  }

  /** A chunk document's fields before its content: the document's bookkeeping, the ordinal, the version's size. */
  static ObjectNode source(Document document, int ordinal, int total) {
    ObjectNode s = OpenSearchClient.object();
    s.put(ManagedIndex.DOCUMENT_ID, document.id());
    s.put(ManagedIndex.VERSION, document.version());
    s.put(ManagedIndex.VERSION_KEY, ChunkId.versionKey(document.id(), document.version()));
    s.put(ManagedIndex.COLLECTION, document.collection());
    s.put(ManagedIndex.MEDIA_TYPE, document.mediaType());
    s.put(ManagedIndex.SOURCE_PATH, document.sourcePath());
    s.put(ChunkIndexMapping.ORDINAL, ordinal);
    s.put(ChunkIndexMapping.CHUNK_TOTAL, total);
    return s;
  }

  /**
   * Writes a version's chunk documents ({@code sources.get(i)} is ordinal i) by id and, in the same bulk request,
   * deletes the ones an earlier write of the same version had beyond them (that write's chunk count is read in real
   * time from its first chunk, so this works before a refresh). {@code refresh}: visible when this returns.
   */
  void replaceVersion(String documentId, int version, List<ObjectNode> sources, boolean refresh) {
    List<JsonNode> lines = new ArrayList<>(sources.size() * 2 + 1);
    for (int ordinal = 0; ordinal < sources.size(); ordinal++) {
      lines.add(action("index", ChunkId.of(documentId, version, ordinal)));
      lines.add(sources.get(ordinal));
    }
    int before = indexedChunkCount(documentId, version);
    for (int ordinal = sources.size(); ordinal < before; ordinal++) {
      lines.add(action("delete", ChunkId.of(documentId, version, ordinal)));
    }
    client.bulk(lines, refresh);
    unrefreshed.set(!refresh);
  }

  private ObjectNode action(String type, String id) {
    ObjectNode a = OpenSearchClient.object();
    a.putObject(type).put("_index", target).put("_id", id);
    return a;
  }

  private int indexedChunkCount(String documentId, int version) {
    String path = "/" + target + "/_doc/" + urlEncode(ChunkId.of(documentId, version, 0))
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

  void deleteVersion(String documentId, int version, boolean refresh) {
    deleteWhere(q -> q.putObject("term").put(ManagedIndex.VERSION_KEY, ChunkId.versionKey(documentId, version)),
        refresh);
  }

  /** Deletes, for each document, its versions before the one given ({@code below}: version by document id). */
  void deleteOlderVersions(Map<String, Integer> below, boolean refresh) {
    List<Map.Entry<String, Integer>> entries = List.copyOf(below.entrySet());
    for (int from = 0; from < entries.size(); from += DELETE_BATCH) {
      List<Map.Entry<String, Integer>> batch = entries.subList(from, Math.min(entries.size(), from + DELETE_BATCH));
      deleteWhere(q -> {
        ArrayNode should = q.putObject("bool").putArray("should");
        for (Map.Entry<String, Integer> e : batch) {
          ArrayNode both = should.addObject().putObject("bool").putArray("filter");
          both.addObject().putObject("term").put(ManagedIndex.DOCUMENT_ID, e.getKey());
          both.addObject().putObject("range").putObject(ManagedIndex.VERSION).put("lt", e.getValue());
        }
      }, refresh);
    }
  }

  void deleteDocuments(Collection<String> documentIds, boolean refresh) {
    List<String> ids = List.copyOf(new HashSet<>(documentIds));
    for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH));
      deleteWhere(q -> {
        ArrayNode values = q.putObject("terms").putArray(ManagedIndex.DOCUMENT_ID);
        batch.forEach(values::add);
      }, refresh);
    }
  }

  void deleteWhere(Consumer<ObjectNode> query, boolean refresh) {
    if (unrefreshed.getAndSet(false)) {
      refresh();
    }
    ObjectNode body = OpenSearchClient.object();
    query.accept(body.putObject("query"));
    String path = "/" + target + "/_delete_by_query?conflicts=proceed&refresh=" + refresh;
    JsonNode r = client.call("POST", path, body);
    if (r.path("failures").size() > 0) {
      throw new StorageException("OpenSearch could not delete every chunk asked for in " + target + ": "
          + r.path("failures").get(0));
    }
    unrefreshed.set(!refresh);
  }

  void refresh() {
    unrefreshed.set(false);
    client.call("POST", "/" + target + "/_refresh", null);
  }

  /** Chunk documents matching the query (all when {@code query} is null), as of the last refresh. */
  long count(Consumer<ObjectNode> query) {
    ObjectNode body = null;
    if (query != null) {
      body = OpenSearchClient.object();
      query.accept(body.putObject("query"));
    }
    return client.call(body == null ? "GET" : "POST", "/" + target + "/_count", body).path("count").asLong();
  }

  /** The version keys of every version with chunk documents, as of the last refresh. */
  Set<String> versionKeys() {
    return ChunkIndexMapping.distinctKeywords(client, target, ManagedIndex.VERSION_KEY);
  }

  /** Merges each shard to one segment (slow; for after bulk loads); says what it did. */
  String forceMerge() {
    JsonNode r = client.callSlow("POST", "/" + target + "/_forcemerge?max_num_segments=1", null,
        Duration.ofMinutes(30));
    return "force-merged " + target + " to one segment per shard (" + r.path("_shards").path("successful")
        .asInt() + " shard copies)";
  }

  /** A search answer's hits, best first, with each score mapped by {@code score}. */
  static List<Hit> hits(JsonNode answer, String alias, DoubleUnaryOperator score) {
    List<Hit> hits = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      ChunkId id = ChunkId.parse(hit.path("_id").asText())
          .orElseThrow(() -> new IllegalStateException("not a chunk id in " + alias + ": " + hit.path("_id")));
      hits.add(new Hit(id.toString(), id.documentId(), id.version(),
          (float) score.applyAsDouble(hit.path("_score").asDouble())));
    }
    return hits;
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
