package rag.app.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rag.app.eval.EvalViews.CellView;
import rag.app.eval.EvalViews.NeedleView;
import rag.app.eval.EvalViews.NiahResult;
import rag.app.eval.EvalViews.NiahTimingsView;
import rag.app.eval.EvalViews.ProfileView;
import rag.app.eval.EvalViews.SummaryView;
import rag.eval.ProgressListener;
import rag.eval.niah.EffectiveLength;
import rag.eval.niah.HaystackBuilder;
import rag.eval.niah.HaystackSources;
import rag.eval.niah.NeedleProbe;
import rag.eval.niah.NiahRun;
import rag.eval.niah.NiahSettings;
import rag.eval.probe.EndToEndProbe;
import rag.eval.probe.ModelJudge;
import rag.eval.probe.ProbeParts;
import rag.eval.probe.RetrieveProbe;
import rag.eval.probe.StuffProbe;
import rag.eval.report.EvalReport;
import rag.eval.report.ReportRenderer;
import rag.query.plan.Mode;
import rag.query.profile.ModelProfile;

/** Runs a {@link NiahPlan}: the haystack builder, the probe for the mode, the grid; then the result and report. */
final class NiahJob {
  private final NiahPlan plan;
  private final EvalParts parts;

  NiahJob(NiahPlan plan, EvalParts parts) {
    this.plan = plan;
    this.parts = parts;
  }

  EvalOutcome run(String runId, Instant createdAt, ProgressListener progress) {
    HaystackBuilder builder = builder();
    ModelProfile profile = plan.profile();
    NiahSettings settings = new NiahSettings(plan.grid(), plan.needles(), plan.foundThreshold(),
        plan.mode().wireName(), profile.name() + (profile.hasModel() ? " (" + profile.model() + ")" : ""));
    ProbeParts probeParts = parts.probeParts();
    rag.eval.niah.NiahResult result;
    String index;
    String embeddingModel = plan.mode() == NiahMode.STUFF ? null : probeParts.embedder().modelName();
    switch (plan.mode()) {
      case RETRIEVE -> {
        try (RetrieveProbe probe = new RetrieveProbe(probeParts, profile)) {
          result = run(builder, probe, settings, progress);
          index = probe.indexSummary();
        }
      }
      case STUFF -> {
        try (StuffProbe probe = new StuffProbe(probeParts, profile)) {
          result = run(builder, probe, settings, progress);
          index = probe.indexSummary();
        }
      }
      case END_TO_END -> {
        try (EndToEndProbe probe = new EndToEndProbe(probeParts, profile, Mode.AUTO, parts.modelClient())) {
          result = run(builder, probe, settings, progress);
          index = probe.indexSummary();
        }
      }
      default -> throw new IllegalStateException("unknown mode " + plan.mode());
    }
    List<NeedleView> needles = new ArrayList<>();
    plan.needles().targets().forEach(n -> needles.add(NeedleView.of(n, true)));
    plan.needles().distractors().forEach(n -> needles.add(NeedleView.of(n, false)));
    NiahResult view = new NiahResult("niah", result.haystack(), result.tokenizer(), plan.mode().wireName(),
        plan.needles().variant().name().toLowerCase(Locale.ROOT).replace('_', '-'), plan.needles().question(),
        needles, ProfileView.of(profile), embeddingModel, plan.documentTokens(),
        result.cells().stream().map(CellView::of).toList(), SummaryView.of(result.summary()),
        NiahTimingsView.of(result.timings()), index, plan.mode() != NiahMode.END_TO_END ? null
            : EffectiveLength.of(result.summary()).map(EvalViews.EffectiveLengthView::of).orElse(null));
    String summary = String.format(Locale.ROOT, "found in %d of %d cells (%.1f%%), mean score %.3f",
        result.cells().stream().filter(c -> c.found()).count(), result.cells().size(),
        100 * result.summary().foundRate(), result.summary().meanScore());
    Map<String, String> reportSettings = new LinkedHashMap<>();
    reportSettings.put("Run", runId + " (created " + createdAt + ")");
    reportSettings.put("Profile", String.format(Locale.ROOT, "%s: window %,d tokens, answer reserve %,d,"
        + " retrieval budget %,d, tokenizer %s", profile.name(), profile.contextWindow(), profile.answerReserve(),
        profile.retrievalBudget(), profile.tokenizer()));
    reportSettings.put("Model", profile.hasModel() ? profile.model() + " at " + profile.baseUrl()
        : "none (the profile has no model server)");
    if (plan.judge() != null) {
      reportSettings.put("Judge", plan.judge().model() + " at " + plan.judge().baseUrl() + " (profile "
          + plan.judge().name() + "): grades 1 to 10, the cell's score is the grade / 10");
    }
    reportSettings.put("Embedding model", embeddingModel == null ? "none (stuff mode needs no vectors)"
        : embeddingModel);
    reportSettings.put("Haystack documents", String.format(Locale.ROOT, "about %,d tokens each", plan.documentTokens()));
    reportSettings.put("Index", index);
    reportSettings.put("Timings", String.format(Locale.ROOT, "%,d ms in all (build %,d ms, index and probe %,d ms)",
        result.timings().totalMillis(), result.timings().buildMillis(), result.timings().probeMillis()));
    String html = new ReportRenderer().render(new EvalReport("NIAH " + plan.mode().wireName() + " run " + runId,
        reportSettings, List.of(result), List.of()));
    return new EvalOutcome(view, html, summary);
  }

  /** Runs the grid; answers are graded by the plan's judge when it has one. */
  private rag.eval.niah.NiahResult run(HaystackBuilder builder, NeedleProbe probe, NiahSettings settings,
      ProgressListener progress) {
    ModelJudge judge = plan.judge() == null ? null : new ModelJudge(plan.judge(), parts.modelClient());
    return new NiahRun(builder, probe, judge).run(settings, progress);
  }

  private HaystackBuilder builder() {
    if (plan.haystackPath() != null) {
      return new HaystackBuilder(plan.haystackPath().getFileName().toString(),
          HaystackSources.fromFolder(plan.haystackPath()), parts.counter(), plan.documentTokens());
    }
    if (plan.collection() != null) {
      return HaystackBuilder.ofCollection(parts.archive().reader(), plan.collection(), parts.counter(),
          plan.documentTokens());
    }
    return new HaystackBuilder(HaystackSources.DEFAULT_NAME, HaystackSources.defaultHaystack(), parts.counter(),
        plan.documentTokens());
  }
}
