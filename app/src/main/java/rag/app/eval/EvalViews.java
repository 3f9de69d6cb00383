package rag.app.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import rag.eval.beir.QueryRow;
import rag.eval.beir.RetrievalTimings;
import rag.eval.budget.BudgetSweepResult;
import rag.eval.niah.EffectiveLength;
import rag.eval.qa.QaRun;
import rag.eval.niah.Needle;
import rag.eval.niah.NiahCell;
import rag.eval.niah.NiahSummary;
import rag.eval.niah.NiahTimings;
import rag.query.profile.ModelProfile;
import rag.storage.embed.TokenCounters;

/**
 * The JSON shapes of evaluation runs: the run's state and its results (as stored in the catalog, and the
 * result's copy {@code result.json}), kept apart from the eval module's records so that the documented API stays put.
 */
public final class EvalViews {
  private EvalViews() {}

  @Schema(name = "EvalProgress", description = "Units done and in all: grid cells for NIAH, queries over all"
      + " retrievers for retrieval (0 of 0 until the dataset is loaded).")
  public record Progress(int done, int total) {}

  @Schema(name = "EvalRun", description = "An evaluation run and where it stands.")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunState(
      @Schema(description = "Sortable id: creation time and a random suffix.", examples = "20261128-061500-3fa2c1")
      String runId,
      @Schema(enumeration = {"niah", "retrieval"}) String kind,
      @Schema(enumeration = {"queued", "running", "succeeded", "failed"}) String state,
      Progress progress,
      @Schema(description = "Why the run failed; absent otherwise.") String error,
      Instant createdAt, Instant startedAt, Instant finishedAt,
      @Schema(description = "One line about the outcome once succeeded, e.g. found rates or nDCG@10 per retriever.")
      String summary) {

    RunState queued() {
      return new RunState(runId, kind, "queued", progress, null, createdAt, null, null, null);
    }

    RunState running(Instant at) {
      return new RunState(runId, kind, "running", progress, null, createdAt, at, null, null);
    }

    RunState progressed(Progress now) {
      return new RunState(runId, kind, state, now, error, createdAt, startedAt, finishedAt, summary);
    }

    RunState succeeded(Instant at, String outcome) {
      return new RunState(runId, kind, "succeeded", progress, null, createdAt, startedAt, at, outcome);
    }

    RunState failed(Instant at, String why) {
      return new RunState(runId, kind, "failed", progress, why, createdAt, startedAt, at, null);
    }

    boolean isFinished() {
      return state.equals("succeeded") || state.equals("failed");
    }
  }

  @Schema(name = "EvalRunList")
  public record RunList(@Schema(description = "Newest first.") List<RunState> runs) {}

  @Schema(name = "EvalRunDetail", description = "A run: its state, the settings it ran with (every default filled"
      + " in) and, once succeeded, its result (NiahResult or RetrievalResult).")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RunDetail(String runId, String kind, String state, Progress progress, String error,
      Instant createdAt, Instant startedAt, Instant finishedAt, String summary,
      @Schema(description = "Where the HTML report is, once the run succeeded.") String report,
      @Schema(oneOf = {NiahRequest.class, RetrievalRequest.class}) JsonNode settings,
      @Schema(oneOf = {NiahResult.class, RetrievalResult.class}) JsonNode result) {
    static RunDetail of(RunState s, JsonNode settings, JsonNode result) {
      return new RunDetail(s.runId(), s.kind(), s.state(), s.progress(), s.error(), s.createdAt(), s.startedAt(),
          s.finishedAt(), s.summary(), s.state().equals("succeeded") ? "/api/eval/runs/" + s.runId() + "/report.html"
              : null, settings, result);
    }
  }

  @Schema(name = "ModelProfile", description = "A model profile, as a run used it or GET /api/profiles lists it"
      + " (never its API key).")
  public record ProfileView(String name, long contextWindow, int answerReserve, long retrievalBudget,
      String tokenizer,
      @Schema(description = "True when the tokenizer is one the service ships (qwen3): plans count this model's"
          + " tokens exactly, without margin; otherwise they estimate (calibrated by the server's /tokenize when it"
          + " has one).") boolean exactTokenCounts,
      @Schema(description = "Model name; null when the profile has no model server.") String model,
      @Schema(description = "The model server's base URL; null when answers would be extractive.") String baseUrl,
      @Schema(description = "Prompt tokens per second the server prefills (set by hand); null when unknown.")
      Double prefillTokensPerSecond,
      @Schema(description = "With a prefill speed, auto does not stuff a prompt whose estimated prefill takes longer"
          + " (seconds); null: no bound.") Double maxPrefillSeconds,
      @Schema(description = "The longest context (tokens) the model answers well from, set by"
          + " rag.models.<name>.effective-context; auto stuffs (and routed retrieval grows) only within it. Null: the"
          + " window, or the measured one below.")
      Long effectiveContext,
      @Schema(description = "The effective context last measured for this model on its server by an end-to-end NIAH"
          + " run (absent when none was): it bounds planning when no effective context is set by hand and some"
          + " length of the run failed.")
      MeasuredEffectiveContextView measuredEffectiveContext,
      @Schema(description = "Prompt tokens per second measured on this instance from the server's answers (prompt"
          + " tokens over the time to the first token, the largest prompt of at least 1,024 tokens so far); used for"
          + " estimates and max-prefill-seconds when no speed is set by hand. Null before any such answer.")
      Double measuredPrefillTokensPerSecond) {
    public static ProfileView of(ModelProfile p) {
      return of(p, null, null);
    }

    public static ProfileView of(ModelProfile p, MeasuredEffectiveContexts.Measurement measured,
        Double measuredPrefill) {
      return new ProfileView(p.name(), p.contextWindow(), p.answerReserve(), p.retrievalBudget(), p.tokenizer(),
          TokenCounters.isKnown(p.tokenizer()) && !TokenCounters.CL100K.equalsIgnoreCase(p.tokenizer()),
          p.hasModel() ? p.model() : null, p.baseUrl(), p.prefillTokensPerSecond(), p.maxPrefillSeconds(),
          p.effectiveContext(), measured == null ? null : MeasuredEffectiveContextView.of(measured,
              p.effectiveContext() == null && !measured.atLeast()), measuredPrefill);
    }
  }

  @Schema(name = "MeasuredEffectiveContext")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record MeasuredEffectiveContextView(
      @Schema(description = "The effective length, in the run's context-length tokens.") long tokens,
      @Schema(description = "Every length of the run passed: the model may do as well beyond it (then it bounds"
          + " nothing).") boolean atLeast,
      @Schema(description = "The shortest length that fell below 85% of the shortest's score; null when none did.")
      Integer firstFailing,
      @Schema(description = "True when planning uses it now.") boolean applied,
      String runId, String variant, Instant measuredAt) {
    static MeasuredEffectiveContextView of(MeasuredEffectiveContexts.Measurement m, boolean applied) {
      return new MeasuredEffectiveContextView(m.tokens(), m.atLeast(), m.firstFailing(), applied, m.runId(),
          m.variant(), m.measuredAt());
    }
  }

  @Schema(name = "EffectiveLength", description = "NoLiMa's effective length of an end-to-end run: the longest"
      + " context length at which the mean score, and that of every shorter length, stays at or above 85% of the"
      + " shortest length's.")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record EffectiveLengthView(long tokens, boolean atLeast, int baseLength, double baseScore, double threshold,
      Integer firstFailing) {
    static EffectiveLengthView of(EffectiveLength e) {
      return new EffectiveLengthView(e.tokens(), e.atLeast(), e.baseLength(), e.baseScore(), e.threshold(),
          e.firstFailing());
    }
  }

  @Schema(name = "NiahNeedle")
  public record NeedleView(String text, @Schema(description = "What an answer must contain.") String answer,
      @Schema(description = "False for a multi-key distractor.") boolean target) {
    static NeedleView of(Needle n, boolean target) {
      return new NeedleView(n.text(), n.answer(), target);
    }
  }

  @Schema(name = "NiahCell", description = "One grid cell. retrieve: found = every target needle is inside the"
      + " packed context, score = the share that is, rank = best fused rank of a chunk holding the needle (the worst"
      + " over several targets; null when not among the candidates). stuff: found = the prompt fits, holds each"
      + " target within 1 point of its depth and every separator is intact. end-to-end: the answer scored against"
      + " the needles (exact, or the share of content words at least the found threshold).")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record CellView(int contextLength, double depthPercent, boolean found, Integer rank, double score,
      @Schema(description = "What the probe measured, in words.") String detail) {
    static CellView of(NiahCell c) {
      return new CellView(c.contextLength(), c.depthPercent(), c.found(), c.rank(), c.score(), c.detail());
    }
  }

  @Schema(name = "NiahLengthSummary")
  public record LengthSummary(int contextLength, int cells, double foundRate, double meanScore) {}

  @Schema(name = "NiahDepthSummary")
  public record DepthSummary(double depthPercent, int cells, double foundRate, double meanScore) {}

  @Schema(name = "NiahSummary")
  public record SummaryView(int cells, double foundRate, double meanScore, List<LengthSummary> byLength,
      List<DepthSummary> byDepth) {
    static SummaryView of(NiahSummary s) {
      return new SummaryView(s.cells(), s.foundRate(), s.meanScore(),
          s.byLength().stream().map(l -> new LengthSummary(l.contextLength(), l.cells(), l.foundRate(),
              l.meanScore())).toList(),
          s.byDepth().stream().map(d -> new DepthSummary(d.depthPercent(), d.cells(), d.foundRate(),
              d.meanScore())).toList());
    }
  }

  @Schema(name = "NiahTimings", description = "Milliseconds: building haystacks, indexing and probing, the whole run.")
  public record NiahTimingsView(long buildMillis, long probeMillis, long totalMillis) {
    static NiahTimingsView of(NiahTimings t) {
      return new NiahTimingsView(t.buildMillis(), t.probeMillis(), t.totalMillis());
    }
  }

  @Schema(name = "NiahResult", description = "A finished NIAH run.")
  public record NiahResult(
      @Schema(enumeration = "niah") String kind,
      @Schema(description = "The haystack's name: the folder, the collection or moby-dick-1-20.") String haystack,
      String tokenizer, @Schema(enumeration = {"retrieve", "stuff", "end-to-end"}) String mode, String variant,
      String question, List<NeedleView> needles, ProfileView profile,
      @Schema(description = "The embedding model of the scratch index (retrieve and end-to-end).")
      String embeddingModel,
      @Schema(description = "Tokens per haystack document.") int documentTokens,
      @Schema(description = "Lengths outer (ascending), depths inner.") List<CellView> cells,
      SummaryView summary, NiahTimingsView timings,
      @Schema(description = "What indexing cost: document writes, texts embedded.") String index,
      @Schema(description = "End-to-end runs: the model's effective length from this grid (null otherwise, or when"
          + " the grid has one length or the model scored nothing at the shortest).")
      EffectiveLengthView effectiveLength) {}

  @Schema(name = "QaResult", description = "Retrieval accuracy over a collection: per retriever hits@1/5/10, MRR@10 and"
      + " nDCG@10 (one graded target: the first chunk holding an expected passage, or a third for its document);"
      + " per question each retriever's rank of the passage and what it retrieved.")
  public record QaResult(@Schema(enumeration = "qa") String kind, String collection, String questionSet,
      int questionCount, int k, Map<String, Map<String, Double>> metrics, List<QaRun.QuestionResult> questions,
      @Schema(description = "Per retrieval budget asked for: the share of questions whose packed prompt holds an"
          + " expected passage, and which do not.") List<QaRun.BudgetRecall> packing,
      @Schema(description = "With endToEnd: the share of answers holding the expected answer and of answers citing an"
          + " expected passage, and each answer.") QaRun.EndToEnd endToEnd) {}

  @Schema(name = "DraftResult", description = "A drafted question set: the questions stored with the collection"
      + " (each marked drafted) and the chunks skipped with the reason.")
  public record DraftResult(@Schema(enumeration = "draft") String kind, String collection, String questionSet,
      String profile, List<rag.eval.qa.QaQuestion> questions, List<String> skipped) {}

  @Schema(name = "BudgetResult", description = "A retrieval-budget sweep: per budget, the mean score, the share of"
      + " correct answers and the tokens per answer; per question, each budget's answer.")
  public record BudgetResult(@Schema(enumeration = "budgets") String kind, String collection, ProfileView profile,
      @Schema(description = "The budget with the highest mean score (the smallest of equals).") long best,
      double foundThreshold, List<BudgetSweepResult.Point> points, List<BudgetSweepResult.QuestionRow> questions,
      long totalMillis) {}

  @Schema(name = "RetrievalTimings", description = "Milliseconds: indexing the corpus, per-query latency"
      + " (nearest-rank percentiles and mean), the retriever's whole run.")
  public record TimingsView(long indexMillis, double latencyP50Millis, double latencyP95Millis,
      double latencyMeanMillis, long totalMillis) {
    static TimingsView of(RetrievalTimings t) {
      return new TimingsView(t.indexMillis(), t.latencyP50Millis(), t.latencyP95Millis(), t.latencyMeanMillis(),
          t.totalMillis());
    }
  }

  @Schema(name = "RetrievalQueryRow")
  public record QueryRowView(String queryId,
      @Schema(description = "ndcg@10, recall@10, recall@100, mrr@10") Map<String, Double> metrics, int retrieved,
      double latencyMillis) {
    static QueryRowView of(QueryRow r) {
      return new QueryRowView(r.queryId(), r.metrics(), r.retrieved(), r.latencyMillis());
    }
  }

  @Schema(name = "RetrievalResult", description = "A finished retrieval run: metrics as trec_eval defines them, the"
      + " mean over the queries that have judgments.")
  public record RetrievalResult(
      @Schema(enumeration = "retrieval") String kind, String dataset, String split, int documents, int queries,
      int k, String embeddingModel,
      @Schema(description = "By retriever: {\"ndcg@10\", \"recall@10\", \"recall@100\", \"mrr@10\"}.",
          examples = "{\"bm25\": {\"ndcg@10\": 0.6789, \"recall@10\": 0.81, \"recall@100\": 0.92, \"mrr@10\": 0.64}}")
      Map<String, Map<String, Double>> metrics,
      @Schema(description = "By retriever.") Map<String, TimingsView> timings,
      @Schema(description = "By retriever, one row per query.") Map<String, List<QueryRowView>> perQuery) {}
}
