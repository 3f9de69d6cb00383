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
import rag.storage.embed.InProcessModel;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.lexical.LexicalQuery;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Hit;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;
import rag.storage.vector.DocumentVectors;
import rag.storage.vector.EmbeddedChunk;
import rag.storage.vector.HnswParams;
import rag.storage.vector.PgVectorStore;
import rag.storage.vector.VectorQuery;

/**
 * Storage benchmark (issue: foundation): writes N chunks of real text (about 1 KB each) with real
 * 384-dimension embeddings (all-MiniLM-L6-v2, cached after the first run) into each backend, then
 * measures BM25 and kNN latency and kNN recall@10 against exact search. Run with
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
    Set<String> backends = Set.of(opts.getOrDefault("backends", "embedded,postgres").split(","));
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
      }
      deleteTree(dir);
    }
    if (backends.contains("postgres")) {
      String db = "rag_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
      Path dir = work.resolve("postgres-" + UUID.randomUUID());
      try {
        String url = pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db;
        try (Archive archive = ArchiveFactory.open(
            new StorageConfig(StorageConfig.Backend.POSTGRES, dir, url, pgUser, null, 8, null, hnsw), 384,
            "all-minilm-l6-v2-q")) {
          report.append(run("pgvector (PostgreSQL)", archive, texts, vectors, queries, queryVectors, exact, true));
        }
      } finally {
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        deleteTree(dir);
      }
    }
    System.out.println(report);
    Files.createDirectories(results);
    Path out = results.resolve("storage-" + LocalDateTime.now().withNano(0).toString().replace(':', '-') + ".md");
    Files.writeString(out, report.toString());
    System.err.println("written to " + out);
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
