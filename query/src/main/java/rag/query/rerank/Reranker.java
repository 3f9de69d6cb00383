package rag.query.rerank;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import rag.query.retrieve.FusedChunk;

/**
 * Orders the fused top N of a retrieval by a cross-encoder's relevance (any LangChain4j {@link ScoringModel}; the
 * service's is {@link OpenAiCompatibleScoringModel}); the rest keep their fused order behind them. A call is bounded
 * by the timeout whatever the scoring model does; when it fails or runs out of time the fused order stands and the
 * outcome says why, so that plans and searches can show it.
 */
public final class Reranker {
  private static final Logger LOG = Logger.getLogger(Reranker.class);
  private static final Reranker NONE = new Reranker();

  private final ScoringModel model;
  private final String name;
  private final int topN;
  private final Duration timeout;
  private final int maxChars;
  private final boolean forAnswers;
  private final ExecutorService calls;

  /** What reranking did to a ranking. */
  public record Reranked(List<FusedChunk> chunks, boolean reranked, String note) {}

  private Reranker() {
    model = null;
    name = null;
    topN = 0;
    timeout = Duration.ZERO;
    maxChars = 0;
    forAnswers = false;
    calls = null;
  }

  /**
   * @param name how plans name the model (e.g. its model name)
   * @param topN how many of the fused best are scored
   * @param maxChars each chunk's text is cut to this many characters (cross-encoders read at most ~512 tokens)
   * @param forAnswers whether question answering reranks (searches and evaluations ask for it by name)
   */
  public Reranker(ScoringModel model, String name, int topN, Duration timeout, int maxChars, boolean forAnswers) {
    this.model = Objects.requireNonNull(model, "model");
    this.name = Objects.requireNonNull(name, "name");
    if (topN < 1 || maxChars < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("illegal reranker settings: top-n " + topN + ", max-chars " + maxChars
          + ", timeout " + timeout);
    }
    this.topN = topN;
    this.timeout = timeout;
    this.maxChars = maxChars;
    this.forAnswers = forAnswers;
    this.calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "rerank");
      t.setDaemon(true);
      return t;
    });
  }

  /** No reranker: {@link #configured} is false. */
  public static Reranker none() {
    return NONE;
  }

  public boolean configured() {
    return model != null;
  }

  /** Whether answers rerank their candidates before packing. */
  public boolean forAnswers() {
    return configured() && forAnswers;
  }

  public String name() {
    return name;
  }

  /**
   * The ranking with its first {@code topN} chunks ordered by relevance to the question (ties keep the fused order),
   * or as it was, with the reason, when the scoring model fails or is slower than the timeout.
   *
   * @throws IllegalStateException when no reranker is configured
   */
  public Reranked rerank(String question, List<FusedChunk> fused) {
    if (!configured()) {
      throw new IllegalStateException("no reranker is configured (rag.rerank.base-url)");
    }
    if (fused.isEmpty()) {
      return new Reranked(fused, false, "nothing to rerank");
    }
    List<FusedChunk> head = fused.subList(0, Math.min(topN, fused.size()));
    List<TextSegment> segments = head.stream().map(f -> TextSegment.from(cut(f.chunk().text()))).toList();
    long start = System.nanoTime();
    List<Double> scores;
    try {
      scores = score(question, segments);
    } catch (RuntimeException e) {
      String why = e instanceof RerankException ? e.getMessage() : e.toString();
      LOG.warnf("reranking with %s failed, the fused order stands: %s", name, why);
      return new Reranked(fused, false, "the reranker " + name + " failed (" + why + "): fused order kept");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < head.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed()); // stable: fused order on ties
    List<FusedChunk> result = new ArrayList<>(fused.size());
    order.forEach(i -> result.add(head.get(i).reranked(scores.get(i))));
    result.addAll(fused.subList(head.size(), fused.size()));
    return new Reranked(result, true, String.format("the fused top %d reranked by %s in %d ms", head.size(), name,
        millis));
  }

  private List<Double> score(String question, List<TextSegment> segments) {
    CompletableFuture<Response<List<Double>>> call = CompletableFuture.supplyAsync(
        () -> model.scoreAll(segments, question), calls);
    Response<List<Double>> response;
    try {
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new RerankException("no scores within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new RerankException("interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RerankException(String.valueOf(e.getCause()));
    }
    List<Double> scores = response == null ? null : response.content();
    if (scores == null || scores.size() != segments.size() || scores.stream().anyMatch(s -> s == null || s.isNaN())) {
      throw new RerankException("the scoring model returned " + (scores == null ? "no" : scores.size())
          + " scores for " + segments.size() + " chunks");
    }
    return scores;
  }

  private String cut(String text) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars);
  }

  @Override
  public String toString() {
    return configured() ? "Reranker[" + name + ", top " + topN + ", timeout " + timeout + "]" : "Reranker[none]";
  }
}
