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
import org.apache.lucene.analysis.Analyzer;
import rag.storage.lexical.Bm25Params;
import rag.storage.lexical.LexicalIndex;
import rag.storage.lexical.LexicalQuery;
import rag.storage.lexical.QueryTerms;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkContext;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.MediaTypes;
import rag.storage.model.SearchFilter;

/**
 * BM25 on an OpenSearch cluster: the same fields, analysis and BM25 parameters as
 * {@link rag.storage.lexical.LuceneLexicalIndex}, one OpenSearch document per chunk ({@link ChunkDocuments}).
 * Queries are analysed here with Lucene's analyzers and sent as term queries, so both engines run the same query;
 * the index maps the same analysis chains for the chunk text ({@link ChunkIndexMapping}). Scores use the whole
 * index's statistics ({@code dfs_query_then_fetch}), not one shard's, so a sharded index ranks like a single Lucene
 * index. OpenSearch's BM25 is Lucene's legacy formula, which multiplies every score by (k1 + 1); hits are divided by
 * it, so both engines report the same scores.
 *
 * <p>Chunk text is indexed, not kept in {@code _source}: PostgreSQL holds it, and the index is rebuilt from there.
 */
public final class OpenSearchLexicalIndex implements LexicalIndex {
  private final OpenSearchClient client;
  private final IndexAlias alias;
  /** What is searched and written: the alias, or the new generation a rebuild fills. */
  private final String target;
  private final ChunkDocuments chunks;
  private final Bm25Params bm25;
  private final ObjectNode mapping;
  private final Analyzer analyzer = QueryTerms.analyzer();

  public OpenSearchLexicalIndex(OpenSearchClient client, OpenSearchSettings settings, Bm25Params bm25) {
    this(client, new IndexAlias(client, settings.lexicalAlias()), settings.lexicalAlias(), bm25,
        ChunkIndexMapping.lexical(settings.shards(), settings.replicas(), bm25));
    alias.ensure(mapping);
  }

  private OpenSearchLexicalIndex(OpenSearchClient client, IndexAlias alias, String target, Bm25Params bm25,
      ObjectNode mapping) {
    this.client = client;
    this.alias = alias;
    this.target = target;
    this.chunks = new ChunkDocuments(client, target);
    this.bm25 = bm25;
    this.mapping = mapping;
  }

  /** The alias searched and written. */
  public String alias() {
    return alias.name();
  }

  /**
   * Rebuilds the index: {@code fill} writes every version into a new generation (an index of its own, not searched
   * yet), then the alias points at it in one request and the old generation is deleted. Writes other instances make
   * meanwhile go to the old generation: the caller catches up with them after the switch. Returns the new index.
   */
  public String rebuild(Consumer<LexicalIndex> fill) {
    String next = alias.createNext(mapping);
    try (OpenSearchLexicalIndex writer = new OpenSearchLexicalIndex(client, alias, next, bm25, mapping)) {
      fill.accept(writer);
      writer.commit();
    }
    alias.switchTo(next);
    return next;
  }

  @Override
  public void add(Document document, List<Chunk> versionChunks) {
    boolean code = MediaTypes.isSourceCode(document.mediaType());
    List<ObjectNode> sources = new ArrayList<>(versionChunks.size());
    for (Chunk chunk : versionChunks) {
      if (!chunk.documentId().equals(document.id()) || chunk.version() != document.version()
          || chunk.ordinal() != sources.size()) {
        throw new IllegalArgumentException("chunk " + chunk.id() + " is not chunk " + sources.size() + " of document "
            + document.id() + " version " + document.version());
      }
      ObjectNode s = ChunkDocuments.source(document, chunk.ordinal(), versionChunks.size());
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
      sources.add(s);
    }
    chunks.replaceVersion(document.id(), document.version(), sources, false);
  }

  @Override
  public void deleteVersion(String documentId, int version) {
    chunks.deleteVersion(documentId, version, false);
  }

  /** Deletes, for each document, its versions before the one given (version by document id). */
  public void deleteOlderVersions(Map<String, Integer> below) {
    chunks.deleteOlderVersions(below, false);
  }

  @Override
  public void deleteDocument(String documentId) {
    chunks.deleteDocuments(List.of(documentId), false);
  }

  @Override
  public void deleteDocuments(Collection<String> documentIds) {
    chunks.deleteDocuments(documentIds, false);
  }

  @Override
  public void commit() {
    chunks.refresh();
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
    JsonNode answer = client.call("POST", "/" + target + "/_search?search_type=dfs_query_then_fetch", body);
    return ChunkDocuments.hits(answer, target, score -> score / (1 + bm25.k1()));
  }

  @Override
  public Set<String> versionKeys() {
    return chunks.versionKeys();
  }

  @Override
  public long chunkCount() {
    return chunks.count(null);
  }

  @Override
  public String optimize() {
    return chunks.forceMerge();
  }

  /** Deletes the alias and its indexes: everything this index held. */
  public void drop() {
    alias.deleteAll();
  }

  @Override
  public void close() {
    analyzer.close();
  }
}
