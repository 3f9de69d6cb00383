package rag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;
import rag.storage.opensearch.OpenSearchClient;
import rag.storage.opensearch.OpenSearchSettings;
import rag.storage.vector.DocumentVectors;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.HnswParams;
import rag.storage.vector.PgVectorStore;
import rag.storage.vector.VectorQuery;

/**
 * Storage benchmark (issue: foundation; the cluster backend: issue 13): writes N chunks of real text (about 1 KB
 * each) with real 384-dimension embeddings (all-MiniLM-L6-v2, cached after the first run) into each backend, then
 * measures BM25 and kNN latency (the cluster's over HTTP, round trip included) and kNN recall@10 against exact
 * search, the time to rebuild the BM25 index from the catalog (the cluster: rebuild-search, vectors included), and
 * the cluster backend's write throughput with 1 and 2 writers with the CPU each process got. Run with
 * {@code scripts/bench-storage.sh} (see docs/benchmarks.md).
 */
public final class StorageBenchmark {
  private static final int CHUNKS_PER_DOCUMENT = 100;
  private static final int K = 10;
  private static final double TIE_EPSILON = 1e-4;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path corpora = Path.of(opts.getOrDefault("corpora", "../shared/corpora"));
    int n = Integer.parseInt(opts.getOrDefault("chunks", "100000"));
    int queryCount = Integer.parseInt(opts.getOrDefault("queries", "300"));
    String pgUrl = opts.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    String pgUser = opts.getOrDefault("pg-user", "postgres");
    Set<String> backends = Set.of(opts.getOrDefault("backends", "embedded,postgres,cluster").split(","));
    String openSearchUrls = opts.getOrDefault("opensearch-urls", System.getenv("OPENSEARCH_URLS"));
    String openSearchPid = opts.getOrDefault("opensearch-pid", System.getenv("OPENSEARCH_PID"));
    Path work = Path.of(opts.getOrDefault("work", "bench/target/storage-bench"));
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));
    HnswParams hnsw = new HnswParams(HnswParams.DEFAULT.m(),
        Integer.parseInt(opts.getOrDefault("ef-construction", Integer.toString(HnswParams.DEFAULT.efConstruction()))),
        Integer.parseInt(opts.getOrDefault("ef-search", Integer.toString(HnswParams.DEFAULT.efSearch()))));

    List<String> texts = CorpusText.chunks(CorpusText.sources(corpora), n, 1000);
    List<String> queries = CorpusText.queries(corpora, queryCount);
    double avgBytes = texts.stream().mapToInt(String::length).average().orElse(0);
    System.err.printf("%d chunks of %.0f characters on average, %d queries%n", texts.size(), avgBytes, queries.size());

    List<float[]> vectors;
    List<float[]> queryVectors;
    try (OnnxEmbedder embedder = new OnnxEmbedder(InProcessModel.ALL_MINILM_L6_V2_Q)) {
      vectors = VectorCache.vectors(embedder, texts, work.getParent().resolve("vector-cache"));
      queryVectors = embedder.embed(queries);
    }
    List<Exact> exact = exactTopK(vectors, queryVectors);

    StringBuilder report = new StringBuilder();
    report.append(String.format("Storage benchmark, %s: %d chunks (%.0f characters average, real text from"
        + " ../shared/corpora), 384-dimension all-MiniLM-L6-v2 vectors, %d SciFact queries, k=%d,"
        + " HNSW m=%d, ef_construction=%d, ef_search=%d, %d cores, Java %s.%n%n", LocalDateTime.now().withNano(0),
        texts.size(), avgBytes, queries.size(), K, hnsw.m(), hnsw.efConstruction(), hnsw.efSearch(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    report.append("| backend | write: catalog + BM25 (chunks/s) | vectors load | vector index build"
        + " | BM25 p50 / p95 ms (index; archive) | kNN p50 / p95 ms (store; archive) | recall@10 (ids ; ties within 1e-4) |\n");
    report.append("|---|---|---|---|---|---|---|\n");

    if (backends.contains("embedded")) {
      Path dir = work.resolve("embedded-" + UUID.randomUUID());
      try (Archive archive = ArchiveFactory.open(
          new StorageConfig(StorageConfig.Backend.EMBEDDED, dir, null, null, null, 4, null, hnsw), 384,
          "all-minilm-l6-v2-q")) {
        report.append(run("Lucene HNSW (embedded)", archive, texts, vectors, queries, queryVectors, exact, false));
        report.append(reindexRow("Lucene (embedded)", archive, dir));
      }
      deleteTree(dir);
    }
    if (backends.contains("postgres")) {
      String db = createDatabase(pgUrl, pgUser);
      Path dir = work.resolve("postgres-" + UUID.randomUUID());
      try {
        String url = pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db;
        try (Archive archive = ArchiveFactory.open(
            new StorageConfig(StorageConfig.Backend.POSTGRES, dir, url, pgUser, null, 8, null, hnsw), 384,
            "all-minilm-l6-v2-q")) {
          report.append(run("pgvector (PostgreSQL)", archive, texts, vectors, queries, queryVectors, exact, true));
          report.append(reindexRow("Lucene BM25 beside PostgreSQL", archive, dir));
        }
      } finally {
        dropDatabase(pgUrl, pgUser, db);
        deleteTree(dir);
      }
    }
    String workers = "";
    if (backends.contains("cluster")) {
      if (openSearchUrls == null || openSearchUrls.isBlank()) {
        throw new IllegalArgumentException("the cluster backend needs --opensearch-urls (scripts/bench-storage.sh"
            + " starts a three-node cluster and passes it)");
      }
      String db = createDatabase(pgUrl, pgUser);
      Path dir = work.resolve("cluster-" + UUID.randomUUID());
      OpenSearchSettings search = OpenSearchSettings.of(openSearchUrls, "bench-" + db.substring(10));
      try {
        String url = pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db;
        try (Archive archive = ArchiveFactory.open(new StorageConfig(StorageConfig.Backend.CLUSTER, dir, url, pgUser,
            null, 8, null, hnsw, search), 384, "all-minilm-l6-v2-q")) {
          report.append(run("OpenSearch 2.19, 3 nodes, 3 shards + 1 replica (cluster)", archive, texts, vectors,
              queries, queryVectors, exact, false));
          report.append(clusterCosts(archive, search, queries, queryVectors, openSearchPid));
          cacheVectors(archive, texts, vectors);
          long r = System.nanoTime();
          var rebuilt = archive.rebuildSearch();
          report.append(String.format("| OpenSearch (cluster), rebuild-search from PostgreSQL: %.1f s (%d versions, %d"
              + " chunks, vectors %s, %d missing) | | | | | | |%n", (System.nanoTime() - r) / 1e9, rebuilt.versions(),
              rebuilt.chunks(), rebuilt.vectorVersions(), rebuilt.vectorsMissing()));
          workers = workerScaling(archive, texts, openSearchPid);
        }
      } finally {
        dropDatabase(pgUrl, pgUser, db);
        deleteTree(dir);
        deleteIndexes(search);
      }
    }
    report.append(workers);
    System.out.println(report);
    Files.createDirectories(results);
    Path out = results.resolve("storage-" + LocalDateTime.now().withNano(0).toString().replace(':', '-') + ".md");
    Files.writeString(out, report.toString());
    System.err.println("written to " + out);
  }

  static String createDatabase(String pgUrl, String pgUser) throws Exception {
    String db = "rag_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return db;
  }

  static void dropDatabase(String pgUrl, String pgUser, String db) throws Exception {
    try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  static void deleteIndexes(OpenSearchSettings search) {
    OpenSearchClient client = new OpenSearchClient(search);
    for (var index : client.call("GET", "/_cat/indices/" + search.prefix() + "-*?format=json&h=index", null)) {
      client.call("DELETE", "/" + index.path("index").asText(), null);
    }
  }

  /**
   * What the cluster spends: each index's size on disk (primaries, and with replicas) per chunk, and the OpenSearch
   * JVM's CPU per BM25 and per kNN query (the queries run one at a time, so the CPU spent is theirs).
   */
  private static String clusterCosts(Archive archive, OpenSearchSettings search, List<String> queries,
      List<float[]> queryVectors, String openSearchPid) throws IOException {
    OpenSearchClient client = new OpenSearchClient(search);
    client.call("POST", "/" + search.prefix() + "-*/_flush", null);
    StringBuilder row = new StringBuilder("| OpenSearch (cluster), sizes:");
    for (var index : client.call("GET", "/_cat/indices/" + search.prefix() + "-*?format=json&bytes=b"
        + "&h=index,docs.count,pri.store.size,store.size", null)) {
      long docs = index.path("docs.count").asLong();
      row.append(String.format(" %s %d chunks, %.0f MB primaries (%.0f B per chunk), %.0f MB with replicas;",
          index.path("index").asText(), docs, index.path("pri.store.size").asLong() / 1e6,
          index.path("pri.store.size").asDouble() / Math.max(1, docs), index.path("store.size").asLong() / 1e6));
    }
    SearchFilter filter = SearchFilter.collection("bench");
    double[] before = cpuSeconds(openSearchPid);
    for (String q : queries) {
      archive.internals().lexical().search(new LexicalQuery(q, filter, K));
    }
    double[] afterBm25 = cpuSeconds(openSearchPid);
    for (float[] v : queryVectors) {
      archive.internals().vectors().nearest(new VectorQuery(v, filter, K));
    }
    double[] afterKnn = cpuSeconds(openSearchPid);
    row.append(String.format(" OpenSearch CPU per query: BM25 %.1f ms, kNN %.1f ms (service side: %.1f / %.1f ms) | |"
        + " | | | | |%n", (afterBm25[1] - before[1]) * 1000 / queries.size(),
        (afterKnn[1] - afterBm25[1]) * 1000 / queries.size(), (afterBm25[0] - before[0]) * 1000 / queries.size(),
        (afterKnn[0] - afterBm25[0]) * 1000 / queries.size()));
    return row.toString();
  }

  /** Puts the chunks' vectors in the embedding cache, as ingest's caching embedder leaves them (rebuild reads it). */
  private static void cacheVectors(Archive archive, List<String> texts, List<float[]> vectors) {
    Map<String, float[]> batch = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      batch.put(CachingEmbedder.key(texts.get(i)), vectors.get(i));
      if (batch.size() == 2_000 || i == texts.size() - 1) {
        archive.embeddingCache().put(archive.currentGeneration().model(), batch);
        batch = new HashMap<>();
      }
    }
  }

  /** BM25 rebuilt from the catalog's chunk text: the Lucene index emptied, then reconcile re-adds every version. */
  private static String reindexRow(String name, Archive archive, Path dir) {
    archive.internals().lexical().deleteDocuments(archive.reader().allPublished().stream().map(Document::id).toList());
    archive.internals().lexical().commit();
    long t = System.nanoTime();
    var report = archive.reconcile();
    return String.format("| %s, BM25 rebuilt from the catalog: %.1f s (%d versions) | | | | | | |%n", name,
        (System.nanoTime() - t) / 1e9, report.lexicalVersionsRebuilt());
  }

  /**
   * Write throughput into the cluster backend with 1, then 2 writer threads (as 1 or 2 ingest workers write: batches
   * of 8 documents of 10 chunks, staged, indexed with one refresh and published together), with the CPU each process
   * got meanwhile.
   */
  private static String workerScaling(Archive archive, List<String> texts, String openSearchPid) throws Exception {
    final int batchSize = 8;
    StringBuilder rows = new StringBuilder(String.format("%n| cluster writers | chunks/s | documents | wall s"
        + " | CPU: benchmark JVM (service code) | CPU: OpenSearch JVM | CPU: PostgreSQL |%n|---|---|---|---|---|---|---|%n"));
    int docs = Math.min(1_000, texts.size() / 10);
    for (int threads : new int[] {1, 2}) {
      String collection = "writers-" + threads;
      double[] cpu0 = cpuSeconds(openSearchPid);
      long t = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        Thread writer = new Thread(() -> {
          // as an ingest worker writes a parse batch: several documents, one refresh, published together
          for (int first; (first = next.getAndAdd(batchSize)) < docs; ) {
            List<Archive.Write> batch = new ArrayList<>();
            for (int d = first; d < Math.min(docs, first + batchSize); d++) {
              List<Chunk> chunks = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                String text = texts.get(d * 10 + i);
                chunks.add(Chunk.draft(i, text, text.length() / 4, Provenance.NONE));
              }
              batch.add(new Archive.Write(Document.draft(collection, "doc-" + d + ".txt", "text/plain", null, 0,
                  null, "en", null, Map.of()), chunks, null));
            }
            archive.writeAll(batch).forEach(written -> {
              if (written.failure() != null) {
                throw written.failure();
              }
            });
          }
        });
        writer.start();
        writers.add(writer);
      }
      for (Thread writer : writers) {
        writer.join();
      }
      double wall = (System.nanoTime() - t) / 1e9;
      double[] cpu1 = cpuSeconds(openSearchPid);
      rows.append(String.format("| %d | %.0f | %d | %.1f | %.2f cores | %.2f cores | %.2f cores |%n", threads,
          docs * 10 / wall, docs, wall, (cpu1[0] - cpu0[0]) / wall, (cpu1[1] - cpu0[1]) / wall,
          (cpu1[2] - cpu0[2]) / wall));
    }
    return rows.toString();
  }

  /** CPU seconds used so far by this JVM, the OpenSearch JVM and all PostgreSQL processes (from /proc). */
  private static double[] cpuSeconds(String openSearchPid) throws IOException {
    double self = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    double os = openSearchPid == null ? Double.NaN : procCpu(Long.parseLong(openSearchPid));
    double pg = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          if (Files.readString(p.resolve("comm")).trim().startsWith("postgres")) {
            pg += procCpu(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return new double[] {self, os, pg};
  }

  private static double procCpu(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks (100/s)
  }

  private static String run(String name, Archive archive, List<String> texts, List<float[]> vectors,
      List<String> queries, List<float[]> queryVectors, List<Exact> exact, boolean pg) {
    // 1. catalog + lexical index, one document per 100 consecutive chunks, each write published (committed)
    long start = System.nanoTime();
    List<Document> documents = new ArrayList<>();
    for (int d = 0; d * CHUNKS_PER_DOCUMENT < texts.size(); d++) {
      List<Chunk> chunks = new ArrayList<>();
      for (int i = d * CHUNKS_PER_DOCUMENT; i < Math.min(texts.size(), (d + 1) * CHUNKS_PER_DOCUMENT); i++) {
        String t = texts.get(i);
        chunks.add(Chunk.draft(i - d * CHUNKS_PER_DOCUMENT, t, t.length() / 4, Provenance.NONE));
      }
      documents.add(archive.write(Document.draft("bench", "doc-" + d + ".txt", "text/plain", null, 0, null, "en",
          null, Map.of()), chunks));
    }
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    double loadSeconds;

    // 2. vectors: pgvector bulk-loads with binary COPY without the HNSW index, then builds it (a bulk
    //    re-index); Lucene adds them per document through the service's path (HNSW built while loading)
    List<DocumentVectors> all = new ArrayList<>();
    Map<String, Integer> globalIndex = new HashMap<>();
    for (Document d : documents) {
      int base = Integer.parseInt(d.sourcePath().substring(4, d.sourcePath().indexOf('.'))) * CHUNKS_PER_DOCUMENT;
      List<EmbeddedChunk> embedded = new ArrayList<>();
      for (Chunk c : archive.reader().chunks(d.id(), d.version())) {
        embedded.add(new EmbeddedChunk(c, vectors.get(base + c.ordinal())));
        globalIndex.put(c.id(), base + c.ordinal());
      }
      all.add(new DocumentVectors(d, embedded));
    }
    long t = System.nanoTime();
    double buildSeconds = 0;
    
    if (pg) {
      PgVectorStore store = (PgVectorStore) archive.internals().vectors();
      store.dropIndex();
      t = System.nanoTime();
      store.bulkLoad(all);
      long loaded = System.nanoTime();
      store.buildIndex();
      buildSeconds = (System.nanoTime() - loaded) / 1e9;
      loadSeconds = (loaded - t) / 1e9;
    } else {
      for (DocumentVectors dv : all) {
        archive.internals().vectors().upsert(dv.document(), dv.chunks());
      }
      loadSeconds = (System.nanoTime() - t) / 1e9;
    }
    for (Document d : documents) {
      archive.internals().catalog().markEmbedded(d.id(), d.version(), archive.currentGeneration().id());
    }

    StringBuilder rows = new StringBuilder();
    rows.append(String.format("| %s, as loaded | %.0f (%.1f s) | %.1f s (%.0f vectors/s)%s | %s | %s |%n", name,
        texts.size() / writeSeconds, writeSeconds, loadSeconds, texts.size() / loadSeconds,
        pg ? " binary COPY" : " per document", pg ? String.format("%.1f s", buildSeconds) : "during load",
        measure(archive, vectors, queries, queryVectors, exact, globalIndex)));
    long o = System.nanoTime();
    String optimized = archive.optimize();
    rows.append(String.format("| %s, after optimize (%.1f s: %s) | | | | %s |%n", name, (System.nanoTime() - o) / 1e9,
        optimized, measure(archive, vectors, queries, queryVectors, exact, globalIndex)));
    return rows.toString();
  }

  private static String measure(Archive archive, List<float[]> vectors, List<String> queries, List<float[]> queryVectors,
      List<Exact> exact, Map<String, Integer> globalIndex) {
    SearchFilter filter = SearchFilter.collection("bench");
    Latencies bm25Index = new Latencies();
    Latencies bm25Archive = new Latencies();
    Latencies knnStore = new Latencies();
    Latencies knnArchive = new Latencies();
    for (int pass = 0; pass < 3; pass++) {
      for (int q = 0; q < queries.size(); q++) {
        long t0 = System.nanoTime();
        archive.internals().lexical().search(new LexicalQuery(queries.get(q), filter, K));
        long t1 = System.nanoTime();
        archive.lexicalSearch(new LexicalQuery(queries.get(q), filter, K));
        long t2 = System.nanoTime();
        archive.internals().vectors().nearest(new VectorQuery(queryVectors.get(q), filter, K));
        long t3 = System.nanoTime();
        archive.vectorSearch(new VectorQuery(queryVectors.get(q), filter, K));
        long t4 = System.nanoTime();
        if (pass == 2) {
          bm25Index.add(t1 - t0);
          bm25Archive.add(t2 - t1);
          knnStore.add(t3 - t2);
          knnArchive.add(t4 - t3);
        }
      }
    }
    // recall by ids, and with ties (ann-benchmarks): a hit counts when it is as similar as the k-th true neighbour
    int found = 0;
    int foundWithTies = 0;
    for (int q = 0; q < queries.size(); q++) {
      for (Hit h : archive.internals().vectors().nearest(new VectorQuery(queryVectors.get(q), filter, K))) {
        int id = globalIndex.get(h.chunkId());
        if (exact.get(q).ids().contains(id)) {
          found++;
        }
        if (dot(queryVectors.get(q), vectors.get(id)) >= exact.get(q).kthSimilarity() - TIE_EPSILON) {
          foundWithTies++;
        }
      }
    }
    return String.format("%s ; %s | %s ; %s | %.3f ; %.3f", bm25Index.p50p95(), bm25Archive.p50p95(),
        knnStore.p50p95(), knnArchive.p50p95(), found / (double) (K * queries.size()),
        foundWithTies / (double) (K * queries.size()));
  }

  /** The exact top k of one query, and the k-th best similarity. */
  record Exact(Set<Integer> ids, double kthSimilarity) {}

  static double dot(float[] a, float[] b) {
    double dot = 0;
    for (int j = 0; j < a.length; j++) {
      dot += a[j] * b[j];
    }
    return dot;
  }

  /** Exact top-k by cosine (vectors are unit length, so by dot product), in parallel over queries. */
  static List<Exact> exactTopK(List<float[]> vectors, List<float[]> queries) {
    return queries.parallelStream().map(q -> {
      PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
      for (int i = 0; i < vectors.size(); i++) {
        float[] v = vectors.get(i);
        double dot = 0;
        for (int j = 0; j < v.length; j++) {
          dot += v[j] * q[j];
        }
        if (heap.size() < K) {
          heap.add(new double[] {dot, i});
        } else if (dot > heap.peek()[0]) {
          heap.poll();
          heap.add(new double[] {dot, i});
        }
      }
      Set<Integer> top = new HashSet<>();
      heap.forEach(e -> top.add((int) e[1]));
      return new Exact(top, heap.peek()[0]);
    }).toList();
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
