package rag.eval.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import rag.eval.niah.Haystack;
import rag.eval.niah.NeedleProbe;
import rag.eval.niah.PlacedHaystack;
import rag.eval.niah.PlacedNeedle;
import rag.eval.niah.ProbeResult;
import rag.eval.stack.ScratchArchive;
import rag.eval.stack.TextIndexer;
import rag.query.assemble.AssembledPrompt;
import rag.query.assemble.PromptAssembler;
import rag.query.generate.PromptMessage;
import rag.query.generate.Role;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.HybridRetriever;
import rag.storage.embed.TokenCounter;

/**
 * Stuff mode, as a long-context profile is served: the haystack is a collection of documents (one per segment, no
 * vectors needed) that the planner must stuff whole into the profile's prompt window. A cell is found when the plan
 * takes every document, the assembled prompt holds each target needle at the depth where it was placed (within
 * {@value #DEPTH_TOLERANCE_PERCENT} percentage points, measured in tokens of document text in the prompt) and every
 * document separator is intact. The prompt is streamed through a {@link PromptScanner} and never held in memory, so
 * a 10M-token prompt costs one pass over the catalog per cell. The score is 0 when the prompt does not fit or a
 * separator is broken, else the fraction of targets at their depth.
 */
public final class StuffProbe implements NeedleProbe, AutoCloseable {
  public static final double DEPTH_TOLERANCE_PERCENT = 1.0;

  private final ModelProfile profile;
  private final TokenCounter counter;
  private final ScratchArchive scratch;
  private final HaystackIndex index;
  private final Planner planner;
  private final PromptAssembler assembler;
  private Haystack haystack;

  public StuffProbe(ProbeParts parts, ModelProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.counter = parts.counter();
    this.scratch = ScratchArchive.open(parts.scratchDir(), parts.embedder().dimension(),
        parts.embedder().modelName());
    this.index = new HaystackIndex(scratch.archive(), new TextIndexer(scratch.archive(), parts.chunker(), null,
        "niah"));
    // stuffing never retrieves; the retriever is there because the planner's constructor takes one
    HybridRetriever retriever = new HybridRetriever(scratch.archive(), null, parts.rrfK(),
        parts.nearDuplicateThreshold());
    this.planner = Planner.builder(scratch.archive().reader(), counter).retriever(retriever)
        .settings(parts.planner()).build();
    this.assembler = new PromptAssembler(scratch.archive().reader());
  }

  @Override
  public void prepare(Haystack haystack) {
    this.haystack = haystack;
    index.show(haystack);
  }

  @Override
  public ProbeResult probe(PlacedHaystack placed, String question) {
    index.place(placed);
    try {
      Plan plan = planner.plan(new PlanRequest(question, index.scope(), Mode.STUFF, null), profile);
      if (!plan.documentsLeftOut().isEmpty() || plan.documents().size() != index.documents()) {
        return ProbeResult.judged(false, 0, null, String.format(Locale.ROOT,
            "does not fit: %,d of %,d documents within the %,d-token prompt window (the whole would need about"
                + " %,d tokens)", plan.documents().size(), index.documents(), profile.promptWindow(),
            plan.corpusTokens()));
      }
      PromptScanner scanner = scan(plan, question, placed);
      return verdict(placed, plan, scanner);
    } finally {
      index.restore();
    }
  }

  private PromptScanner scan(Plan plan, String question, PlacedHaystack placed) {
    AssembledPrompt prompt = assembler.assemble(plan, question, null);
    PromptScanner scanner = new PromptScanner(counter,
        placed.needles().stream().map(n -> n.needle().text()).toList());
    try {
      for (PromptMessage message : prompt.messages()) {
        if (message.role() == Role.USER) {
          message.content().writeTo(scanner);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write out the stuffed prompt: " + e.getMessage(), e);
    }
    scanner.finish();
    return scanner;
  }

  private ProbeResult verdict(PlacedHaystack placed, Plan plan, PromptScanner scanner) {
    List<String> problems = new ArrayList<>(scanner.separatorErrors());
    int documents = plan.documents().size();
    if (scanner.opened() != documents || scanner.closed() != documents) {
      problems.add(String.format(Locale.ROOT, "%d opening and %d closing separators for %d documents",
          scanner.opened(), scanner.closed(), documents));
    }
    List<PlacedNeedle> all = placed.needles();
    long needleTokens = 0;
    long[] tokens = new long[all.size()];
    for (int i = 0; i < all.size(); i++) {
      tokens[i] = counter.count(" " + all.get(i).needle().text());
      needleTokens += tokens[i];
    }
    long haystackTokens = scanner.documentTokens() - needleTokens;
    int atDepth = 0;
    int targets = 0;
    List<String> depths = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (!all.get(i).target()) {
        continue;
      }
      targets++;
      double intended = 100.0 * all.get(i).placement().tokenOffset() / haystack.totalTokens();
      long offset = scanner.needleOffset(i);
      if (offset < 0) {
        depths.add(String.format(Locale.ROOT, "needle %d missing from the prompt (placed at %.2f%%)", targets,
            intended));
        continue;
      }
      long before = offset;
      for (int j = 0; j < all.size(); j++) {
        if (j != i && scanner.needleOffset(j) >= 0 && scanner.needleOffset(j) < offset) {
          before -= tokens[j];
        }
      }
      double measured = haystackTokens <= 0 ? 0 : 100.0 * before / haystackTokens;
      if (Math.abs(measured - intended) < DEPTH_TOLERANCE_PERCENT) {
        atDepth++;
      }
      depths.add(String.format(Locale.ROOT, "needle at %.2f%% of the document text (placed at %.2f%%, asked %s%%)",
          measured, intended, trim(all.get(i).placement().depthPercent())));
    }
    boolean intact = problems.isEmpty();
    boolean found = intact && atDepth == targets;
    String detail = String.format(Locale.ROOT, "%s; prompt %,d tokens counted (%,d planned), %,d documents, "
        + "separators %s", String.join("; ", depths), scanner.promptTokens(), plan.promptTokens(), documents,
        intact ? "intact" : "broken: " + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
    return ProbeResult.judged(found, intact ? (double) atDepth / targets : 0, null, detail);
  }

  /** What indexing cost: document writes (segments indexed, needles placed and restored; no vectors). */
  public String indexSummary() {
    return String.format(Locale.ROOT, "%,d document writes (BM25 and catalog only)", index.writes());
  }

  public long documentWrites() {
    return index.writes();
  }

  private static String trim(double depth) {
    return depth == Math.rint(depth) ? Long.toString((long) depth) : Double.toString(depth);
  }

  @Override
  public void close() {
    scratch.close();
  }
}
