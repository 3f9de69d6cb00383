package rag.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import rag.eval.beir.BeirDataset;
import rag.eval.beir.BeirDocument;
import rag.eval.beir.BeirLoader;
import rag.eval.beir.BeirQuery;
import rag.eval.metrics.RankingMetrics;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.ScoredChunk;
import rag.storage.model.SearchFilter;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.HnswParams;
import rag.storage.vector.VectorQuery;

/**
 * Whether the embedded and the cluster backends rank alike on the whole of SciFact (issue 13): the 5,183 abstracts
 * (one chunk each, title and text) written through {@link Archive} into the embedded backend (SQLite, Lucene BM25,
 * Lucene HNSW) and into the cluster backend (PostgreSQL, OpenSearch with 3 shards and 1 replica), then every SciFact
 * claim (test and train, 1,109) searched through both archives, top 10. BM25: how many top-10 lists hold the same
 * documents (a document only one list has may only be tied with that list's tenth, within 1e-4 of its score), how
 * many are in the same order, the largest score difference at any rank, and nDCG@10 on the test claims. Vectors
 * (all-MiniLM-L6-v2, cached after the first run): the overlap of the two top-10 lists, each one's recall@10 against
 * exact search, and nDCG@10. Run with {@code scripts/bench-agreement.sh}; CI runs the 300-abstract slice as
 * {@code OpenSearchAnalysisIT}.
 */
public final class BackendAgreement {
  private static final int K = 10;
  private static final double TIE = 1e-4;
  private static final String MODEL = "all-minilm-l6-v2-q";

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path scifact = Path.of(opts.getOrDefault("corpora", "../shared/corpora")).resolve("scifact");
    String pgUrl = opts.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String pgUser = opts.getOrDefault("pg-user", "postgres");
    String openSearchUrls = opts.getOrDefault("opensearch-urls", System.getenv("OPENSEARCH_URLS"));
    if (openSearchUrls == null || openSearchUrls.isBlank()) {
      throw new IllegalArgumentException("needs --opensearch-urls (scripts/bench-agreement.sh starts a three-node"
          + " cluster and passes it)");
    }
    Path work = Path.of(opts.getOrDefault("work", "bench/target/agreement-bench"));
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));

    BeirDataset test = BeirLoader.load(scifact, "test");
    List<BeirQuery> queries = new ArrayList<>(test.queries());
    queries.addAll(BeirLoader.load(scifact, "train").queries());
    List<String> texts = test.corpus().stream().map(BackendAgreement::text).toList();
    List<float[]> vectors;
    List<float[]> queryVectors;
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q)) {
      vectors = VectorCache.vectors(embedder, texts, work.getParent().resolve("vector-cache"));
      queryVectors = embedder.embed(queries.stream().map(BeirQuery::text).toList());
    }
    System.err.printf("SciFact: %d abstracts, %d claims (%d test)%n", texts.size(), queries.size(),
        test.queries().size());

    Rankings embedded;
    Rankings cluster;
    Path dir = work.resolve("embedded-" + UUID.randomUUID());
    try (Archive archive = ArchiveFactory.open(new StorageConfig(StorageConfig.Backend.EMBEDDED, dir, null, null,
        null, 4, null, HnswParams.DEFAULT), 384, MODEL)) {
      embedded = rank("embedded", archive, test, vectors, queries, queryVectors);
    } finally {
      StorageBenchmark.deleteTree(dir);
    }
    String db = StorageBenchmark.createDatabase(pgUrl, pgUser);
    OpenSearchSettings search = OpenSearchSettings.of(openSearchUrls, "agree-" + db.substring(10));
    dir = work.resolve("cluster-" + UUID.randomUUID());
    try (Archive archive = ArchiveFactory.open(new StorageConfig(StorageConfig.Backend.CLUSTER, dir,
        pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db, pgUser, null, 8, null, HnswParams.DEFAULT, search), 384,
        MODEL)) {
      cluster = rank("cluster", archive, test, vectors, queries, queryVectors);
    } finally {
      StorageBenchmark.dropDatabase(pgUrl, pgUser, db);
      StorageBenchmark.deleteIndexes(search);
      StorageBenchmark.deleteTree(dir);
    }

    List<List<String>> exact = StorageBenchmark.exactTopK(vectors, queryVectors).stream()
        .map(e -> e.ids().stream().map(i -> test.corpus().get(i).id()).toList()).toList();
    String report = report(test, queries, embedded, cluster, exact);
    System.out.println(report);
    Files.createDirectories(results);
    Path out = results.resolve("agreement-" + LocalDateTime.now().withNano(0).toString().replace(':', '-') + ".md");
    Files.writeString(out, report);
    System.err.println("written to " + out);
  }

  private static String text(BeirDocument d) {
    return d.title() == null || d.title().isBlank() ? d.text() : d.title() + "\n" + d.text();
  }

  /** One backend's top 10 for every claim, by SciFact id, with scores; and how long writing took. */
  private record Rankings(List<List<Scored>> bm25, List<List<Scored>> dense, double writeSeconds) {}

  private record Scored(String id, double score) {}

  private static Rankings rank(String name, Archive archive, BeirDataset data, List<float[]> vectors,
      List<BeirQuery> queries, List<float[]> queryVectors) {
    long start = System.nanoTime();
    Map<String, String> scifactIdOf = new HashMap<>();
    List<BeirDocument> corpus = data.corpus();
    for (int from = 0; from < corpus.size(); from += 100) {
      List<Archive.Write> batch = new ArrayList<>();
      int to = Math.min(corpus.size(), from + 100);
      for (int i = from; i < to; i++) {
        String text = text(corpus.get(i));
        batch.add(new Archive.Write(Document.draft("scifact", corpus.get(i).id() + ".txt", "text/plain", null,
            text.length(), null, "en", null, Map.of()), List.of(Chunk.draft(0, text, text.length() / 4,
                Provenance.NONE)), null));
      }
      List<Archive.Written> written = archive.writeAll(batch);
      for (int i = from; i < to; i++) {
        Archive.Written w = written.get(i - from);
        if (w.failure() != null) {
          throw w.failure();
        }
        Document d = w.document();
        scifactIdOf.put(d.id(), corpus.get(i).id());
        Chunk chunk = archive.reader().chunks(d.id(), d.version()).get(0);
        archive.addVectors(d, List.of(new EmbeddedChunk(chunk, vectors.get(i))));
      }
    }
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    System.err.printf("%s: %d abstracts written in %.1f s%n", name, corpus.size(), writeSeconds);
    SearchFilter filter = SearchFilter.collection("scifact");
    List<List<Scored>> bm25 = new ArrayList<>();
    List<List<Scored>> dense = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      bm25.add(scored(archive.lexicalSearch(new LexicalQuery(queries.get(q).text(), filter, K)), scifactIdOf));
      dense.add(scored(archive.vectorSearch(new VectorQuery(queryVectors.get(q), filter, K)), scifactIdOf));
    }
    return new Rankings(bm25, dense, writeSeconds);
  }

  private static List<Scored> scored(List<ScoredChunk> hits, Map<String, String> scifactIdOf) {
    return hits.stream().map(h -> new Scored(scifactIdOf.get(h.chunk().documentId()), h.score())).toList();
  }

  /** Same documents, ties at the tenth allowed: a document only one list has scores within TIE of that list's tenth. */
  static boolean sameDocuments(List<Scored> a, List<Scored> b) {
    Set<String> inA = new HashSet<>(a.stream().map(Scored::id).toList());
    Set<String> inB = new HashSet<>(b.stream().map(Scored::id).toList());
    return onlyTiesAtTheEnd(a, inB) && onlyTiesAtTheEnd(b, inA) && a.size() == b.size();
  }

  private static boolean onlyTiesAtTheEnd(List<Scored> list, Set<String> other) {
    if (list.isEmpty()) {
      return true;
    }
    double last = list.get(list.size() - 1).score();
    return list.stream().filter(s -> !other.contains(s.id()))
        .allMatch(s -> Math.abs(s.score() - last) <= TIE * Math.max(1, Math.abs(last)));
  }

  private static String report(BeirDataset test, List<BeirQuery> queries, Rankings embedded, Rankings cluster,
      List<List<String>> exact) {
    int n = queries.size();
    int sameSet = 0;
    int sameOrder = 0;
    double maxScoreDiff = 0;
    double overlap = 0;
    double recallEmbedded = 0;
    double recallCluster = 0;
    for (int q = 0; q < n; q++) {
      List<Scored> a = embedded.bm25().get(q);
      List<Scored> b = cluster.bm25().get(q);
      sameSet += sameDocuments(a, b) ? 1 : 0;
      sameOrder += a.stream().map(Scored::id).toList().equals(b.stream().map(Scored::id).toList()) ? 1 : 0;
      for (int r = 0; r < Math.min(a.size(), b.size()); r++) {
        maxScoreDiff = Math.max(maxScoreDiff, Math.abs(a.get(r).score() - b.get(r).score())
            / Math.max(1e-9, Math.abs(a.get(r).score())));
      }
      Set<String> da = new HashSet<>(ids(embedded.dense().get(q)));
      List<String> db = ids(cluster.dense().get(q));
      overlap += db.stream().filter(da::contains).count() / (double) K;
      recallEmbedded += overlapWith(ids(embedded.dense().get(q)), exact.get(q));
      recallCluster += overlapWith(db, exact.get(q));
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format("Backend agreement on SciFact, %s: %d abstracts (one chunk each), %d claims (%d test),"
        + " top %d through Archive (catalog-filtered), embedded (SQLite + Lucene) vs cluster (PostgreSQL + OpenSearch"
        + " 2.19, 3 nodes, 3 shards + 1 replica), BM25 k1 0.9 b 0.4 on both, all-MiniLM-L6-v2 vectors, %d cores.%n%n",
        LocalDateTime.now().withNano(0), test.corpus().size(), n, test.queries().size(), K,
        Runtime.getRuntime().availableProcessors()));
    s.append("| | embedded | cluster | agreement |\n|---|---|---|---|\n");
    s.append(String.format("| write 5,183 abstracts with vectors (s) | %.1f | %.1f | |%n", embedded.writeSeconds(),
        cluster.writeSeconds()));
    s.append(String.format("| BM25 nDCG@10 (300 test claims) | %.4f | %.4f | |%n", ndcg(test, embedded.bm25()),
        ndcg(test, cluster.bm25())));
    s.append(String.format("| BM25 top-10 lists with the same documents (ties at the tenth allowed) | | | %d of %d"
        + " (%.1f%%) |%n", sameSet, n, 100.0 * sameSet / n));
    s.append(String.format("| BM25 top-10 lists in the same order | | | %d of %d (%.1f%%) |%n", sameOrder, n,
        100.0 * sameOrder / n));
    s.append(String.format("| BM25 largest score difference at any rank (relative) | | | %.2e |%n", maxScoreDiff));
    s.append(String.format("| dense nDCG@10 (300 test claims) | %.4f | %.4f | |%n", ndcg(test, embedded.dense()),
        ndcg(test, cluster.dense())));
    s.append(String.format("| dense recall@10 against exact search | %.4f | %.4f | |%n", recallEmbedded / n,
        recallCluster / n));
    s.append(String.format("| dense top-10 overlap between the backends | | | %.4f |%n", overlap / n));
    return s.toString();
  }

  private static List<String> ids(List<Scored> list) {
    return list.stream().map(Scored::id).toList();
  }

  private static double overlapWith(List<String> found, List<String> expected) {
    Set<String> e = new HashSet<>(expected);
    return found.stream().filter(e::contains).count() / (double) expected.size();
  }

  private static double ndcg(BeirDataset test, List<List<Scored>> rankings) {
    double sum = 0;
    for (int q = 0; q < test.queries().size(); q++) {
      sum += RankingMetrics.ndcg(ids(rankings.get(q)), test.qrels().judgments(test.queries().get(q).id()), K);
    }
    return sum / test.queries().size();
  }
}
