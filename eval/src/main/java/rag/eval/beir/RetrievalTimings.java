package rag.eval.beir;

/**
 * Wall-clock timings of one retriever's run: indexing the corpus, per-query search latency (nearest-rank
 * percentiles and mean, in milliseconds), and the whole run.
 */
public record RetrievalTimings(long indexMillis, double latencyP50Millis, double latencyP95Millis,
    double latencyMeanMillis, long totalMillis) {}
