package rag.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import rag.storage.embed.Embedder;

/**
 * The embedder as the pipeline sees it, with a meter and a gate. The meter adds up the time spent
 * inside the real embedder, the texts embedded and the calls by batch size; the gate, while closed,
 * holds every call, so that the benchmark can time parsing without embedding competing for the cores.
 */
final class MeteredEmbedder implements Embedder {
  private final Embedder delegate;
  private final AtomicLong busyNanos = new AtomicLong();
  private final AtomicLong texts = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong singleTextCalls = new AtomicLong();
  private final AtomicLong firstCallAt = new AtomicLong(Long.MAX_VALUE);
  private boolean open = true;

  MeteredEmbedder(Embedder delegate) {
    this.delegate = delegate;
  }

  /** What the meter read: time inside the embedder, texts, calls, calls with one text, first call. */
  record Reading(long busyNanos, long texts, long calls, long singleTextCalls, long firstCallAt) {
    double meanBatch() {
      return calls == 0 ? 0 : texts / (double) calls;
    }
  }

  synchronized void close() {
    open = false;
  }

  synchronized void open() {
    open = true;
    notifyAll();
  }

  Reading reading() {
    return new Reading(busyNanos.get(), texts.get(), calls.get(), singleTextCalls.get(), firstCallAt.get());
  }

  void reset() {
    busyNanos.set(0);
    texts.set(0);
    calls.set(0);
    singleTextCalls.set(0);
    firstCallAt.set(Long.MAX_VALUE);
  }

  @Override
  public List<float[]> embed(List<String> batch) {
    awaitOpen();
    long start = System.nanoTime();
    firstCallAt.accumulateAndGet(start, Math::min);
    try {
      return delegate.embed(batch);
    } finally {
      busyNanos.addAndGet(System.nanoTime() - start);
      texts.addAndGet(batch.size());
      calls.incrementAndGet();
      if (batch.size() == 1) {
        singleTextCalls.incrementAndGet();
      }
    }
  }

  private synchronized void awaitOpen() {
    while (!open) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the embedding gate was closed", e);
      }
    }
  }

  @Override
  public float[] embedQuery(String question) {
    return delegate.embedQuery(question);
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public String modelName() {
    return delegate.modelName();
  }
}
