package rag.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rag.eval.stack.ScratchArchive;
import rag.eval.stack.TextIndexer;
import rag.ingest.chunk.Chunkers;
import rag.ingest.chunk.ChunkingConfig;
import rag.query.assemble.AssembledPrompt;
import rag.query.assemble.PromptAssembler;
import rag.query.assemble.PromptTokens;
import rag.query.plan.ExactTokenCounts;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.plan.ScopeDocuments;
import rag.query.profile.ModelProfile;
import rag.storage.Archive;
import rag.storage.embed.HuggingFaceTokenCounter;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.embed.TokenCounters;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * Exact token counts over a 10M-token collection (issue 15): the essays and books of ../shared/corpora written again
 * and again as distinct documents (as the query benchmark does; BM25 only, no vectors), then (1) the first count of
 * every version in Qwen 3's tokenizer, as the background warm-up does it, (2) stuff-mode plans over the whole
 * collection with exact counts (from memory, and from the store by a fresh counter) against the same plan estimated
 * from the stored cl100k counts (the baseline of the same run), and (3) a check at scale: the exact count of a
 * 1M-token stuffed prompt equals Qwen 3's count of the prompt rendered whole. No model is called.
 */
public final class TokenCountBenchmark {
  private static final String COLLECTION = "tokens-bench";
  private static final String QUESTION = "Which essays discuss how startups choose what to build?";

  record PlanTimes(String what, double medianMillis, double minMillis, double maxMillis, long promptTokens,
      int documents, String tokenCounting) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = Args.parse(args);
    Path corpora = Path.of(opts.getOrDefault("corpora", "../shared/corpora"));
    long minTokens = Long.parseLong(opts.getOrDefault("tokens", "10000000"));
    long checkTokens = Long.parseLong(opts.getOrDefault("check-tokens", "1000000"));
    int runs = Integer.parseInt(opts.getOrDefault("runs", "9"));
    Path results = Path.of(opts.getOrDefault("results", "bench/results"));
    String commit = opts.getOrDefault("commit", "unknown");
    TokenCounter cl100k = JTokkitTokenCounter.cl100k();
    HuggingFaceTokenCounter qwen3 = (HuggingFaceTokenCounter) TokenCounters.named("qwen3");
    StringBuilder md = new StringBuilder("# Exact token counts over a 10M-token collection\n\n")
        .append("Commit ").append(commit).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, command: `scripts/bench-tokens.sh`\n\n");

    try (MachineLoad load = new MachineLoad(); ScratchArchive scratch = ScratchArchive.open(null, 1, "none")) {
      Archive archive = scratch.archive();
      QueryCollection.Stats collection = QueryCollection.build(new TextIndexer(archive,
          Chunkers.byFormat(ChunkingConfig.DEFAULT, cl100k), null, COLLECTION), corpora, minTokens);
      md.append(String.format("Collection: %d copies, %,d documents, %,d chunks, %,d stored (cl100k) tokens, %,d chars,"
          + " written in %.0f s.%n%n", collection.copies(), collection.documents(), collection.chunks(),
          collection.tokens(), collection.chars(), collection.seconds()));
      SearchFilter all = SearchFilter.collection(COLLECTION);
      List<Document> docs = ScopeDocuments.list(archive.reader(), all);

      // (1) the first count of every version, as the background warm-up does it
      ModelProfile exact16m = ModelProfile.builder("qwen3-16m").tokenizer("qwen3").contextWindow(16_000_000).build();
      ModelProfile estimated16m = ModelProfile.builder("cl100k-16m").contextWindow(16_000_000).build();
      ExactTokenCounts counts = ExactTokenCounts.of(List.of(exact16m), archive.reader(), archive.tokenCounts());
      long t0 = System.nanoTime();
      int counted = counts.warm(archive.reader());
      double warmSeconds = (System.nanoTime() - t0) / 1e9;
      md.append(String.format("## First count (background warm-up)%n%n%,d versions counted in Qwen 3's tokens in %.1f s:"
          + " %,.0f stored tokens/s.%n%n", counted, warmSeconds, collection.tokens() / warmSeconds));

      // (2) stuff-mode plans over the whole collection
      Planner exactPlanner = Planner.builder(archive.reader(), cl100k).exactCounts(counts).build(); // never retrieves
      PlanRequest stuffAll = new PlanRequest(QUESTION, all, Mode.STUFF, null);
      List<PlanTimes> times = new ArrayList<>();
      times.add(time("estimated from stored cl100k counts (baseline)", runs,
          () -> exactPlanner.plan(stuffAll, estimated16m)));
      times.add(time("exact, counts in memory", runs, () -> exactPlanner.plan(stuffAll, exact16m)));
      times.add(time("exact, counts read from the store (a fresh counter per plan)", runs, () -> Planner.builder(
          archive.reader(), cl100k).exactCounts(ExactTokenCounts.of(List.of(exact16m), archive.reader(),
          archive.tokenCounts())).build().plan(stuffAll, exact16m)));
      ModelProfile qwen3Profile = ModelProfile.builder("qwen3").tokenizer("qwen3").build();
      times.add(time("exact, stuff requested with qwen3's 262,144 window (bisection for the longest prefix)", runs,
          () -> exactPlanner.plan(stuffAll, qwen3Profile)));
      md.append("## Stuff-mode plans over the whole collection\n\n")
          .append("| plan | median ms | min | max | prompt tokens | documents | counting |\n|---|---|---|---|---|---|---|\n");
      for (PlanTimes t : times) {
        md.append(String.format("| %s | %.1f | %.1f | %.1f | %,d | %,d | %s |%n", t.what(), t.medianMillis(),
            t.minMillis(), t.maxMillis(), t.promptTokens(), t.documents(), t.tokenCounting()));
      }
      md.append(String.format("%nSame-run ratio, exact (in memory) / estimated: %.2f; exact (from the store) /"
          + " estimated: %.2f.%n%n", times.get(1).medianMillis() / times.get(0).medianMillis(),
          times.get(2).medianMillis() / times.get(0).medianMillis()));

      // (3) exactness at scale: a stuffed prompt of about checkTokens, rendered whole and counted
      List<Document> scope = new ArrayList<>();
      long stored = 0;
      for (Document d : docs) {
        if (stored + d.tokenCount() <= checkTokens) {
          scope.add(d);
          stored += d.tokenCount();
        }
      }
      PromptTokens tokens = counts.forProfile(exact16m).orElseThrow();
      List<String> ids = scope.stream().map(Document::id).toList();
      Plan plan = exactPlanner.plan(new PlanRequest(QUESTION, new SearchFilter(COLLECTION, Set.copyOf(ids),
          Set.of(), null), Mode.STUFF, null), exact16m);
      AssembledPrompt prompt = new PromptAssembler(archive.reader()).assemble(plan, QUESTION, null);
      long t1 = System.nanoTime();
      long rendered = renderedCount(prompt, qwen3);
      double renderSeconds = (System.nanoTime() - t1) / 1e9;
      long planned = tokens.stuffed(plan.documents(), QUESTION, null);
      md.append(String.format("## Exact at scale%n%nA stuffed prompt of %,d documents (%,d stored tokens): planned %,d"
          + " Qwen 3 tokens, the whole rendered ChatML prompt counts %,d (%s; counting it whole took %.1f s).%n%n",
          plan.documents().size(), stored, planned, rendered, planned == rendered ? "equal" : "DIFFERENT",
          renderSeconds));
      md.append("Load average during the run: ").append(load.summary()).append("\n");
      if (planned != rendered) {
        System.err.println("exact count differs from the rendered prompt's");
      }
    }
    BenchOutput out = new BenchOutput(results, "tokens");
    System.out.println(md);
    System.err.println("report: " + out.write("md", md.toString()));
  }

  private static long renderedCount(AssembledPrompt prompt, HuggingFaceTokenCounter qwen3) {
    StringBuilder text = new StringBuilder();
    prompt.messages().forEach(m -> {
      text.append("<|im_start|>").append(m.role().wireName()).append('\n');
      try {
        m.content().writeTo(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      text.append("<|im_end|>\n");
    });
    text.append("<|im_start|>assistant\n");
    return qwen3.count(text.toString());
  }

  private interface PlanCall {
    Plan run();
  }

  private static PlanTimes time(String what, int runs, PlanCall call) {
    call.run(); // warm-up
    double[] ms = new double[runs];
    Plan plan = null;
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      plan = call.run();
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    System.err.printf("%s: median %.1f ms%n", what, ms[runs / 2]);
    return new PlanTimes(what, ms[runs / 2], ms[0], ms[runs - 1], plan.promptTokens(), plan.documents().size(),
        plan.tokenCounting().wireName());
  }
}
