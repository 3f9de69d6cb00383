package rag.eval.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import rag.eval.niah.Haystack;
import rag.eval.niah.NeedleProbe;
import rag.eval.niah.PlacedHaystack;
import rag.eval.niah.PlacedNeedle;
import rag.eval.niah.ProbeResult;
import rag.eval.stack.MemoizingEmbedder;
import rag.eval.stack.ScratchArchive;
import rag.eval.stack.TextIndexer;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.PlanRequest;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.HybridRetriever;
import rag.query.retrieve.Passage;

/**
 * Retrieve mode, as a 256K-window profile is served: the haystack is indexed like an ingested collection (the
 * service's chunker, BM25 and vectors from the service's embedder) in a scratch archive, the planner packs the best
 * fused chunks into the profile's retrieval budget, and a needle counts as found when its text is inside the packed
 * passages. The score is the fraction of target needles packed; the rank is the best fused rank of a chunk holding
 * the needle among the planner's candidates (for several targets, the worst of their best ranks).
 *
 * <p>Vectors are remembered for the run ({@link MemoizingEmbedder}): a haystack repeats its source, so each distinct
 * chunk text is embedded once however long the haystacks grow. Close the probe to delete its scratch archive.
 */
public final class RetrieveProbe implements NeedleProbe, AutoCloseable {
  private final ModelProfile profile;
  private final ScratchArchive scratch;
  private final MemoizingEmbedder embedder;
  private final HaystackIndex index;
  private final HybridRetriever retriever;
  private final Planner planner;

  public RetrieveProbe(ProbeParts parts, ModelProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.embedder = new MemoizingEmbedder(parts.embedder());
    this.scratch = ScratchArchive.open(parts.scratchDir(), embedder.dimension(), embedder.modelName());
    this.index = new HaystackIndex(scratch.archive(),
        new TextIndexer(scratch.archive(), parts.chunker(), embedder, "niah"));
    this.retriever = new HybridRetriever(scratch.archive(), embedder, parts.rrfK(), parts.nearDuplicateThreshold());
    this.planner = Planner.builder(scratch.archive().reader(), parts.counter()).retriever(retriever)
        .settings(parts.planner()).build();
  }

  @Override
  public void prepare(Haystack haystack) {
    index.show(haystack);
  }

  @Override
  public ProbeResult probe(PlacedHaystack haystack, String question) {
    index.place(haystack);
    try {
      Plan plan = planner.plan(new PlanRequest(question, index.scope(), Mode.RETRIEVE, null), profile);
      List<FusedChunk> candidates = retriever.retrieve(question, index.scope(), planner.settings().candidates());
      List<PlacedNeedle> targets = haystack.targets();
      int packed = 0;
      Integer worstRank = 0;
      List<String> where = new ArrayList<>();
      for (PlacedNeedle target : targets) {
        String needle = target.needle().text();
        int passage = passageHolding(plan.passages(), needle);
        packed += passage > 0 ? 1 : 0;
        int rank = rankHolding(candidates, needle);
        worstRank = rank == 0 || worstRank == null ? null : Math.max(worstRank, rank);
        where.add(describe(passage, rank, rank == 0 ? null : candidates.get(rank - 1)));
      }
      String detail = String.format(Locale.ROOT, "%s; %d passages, %,d of %,d budget tokens", String.join("; ",
          where), plan.passages().size(), plan.promptTokens(), plan.budget());
      return ProbeResult.judged(packed == targets.size(), (double) packed / targets.size(), worstRank, detail);
    } finally {
      index.restore();
    }
  }

  /** 1-based position of the first packed passage holding the needle, 0 when none does. */
  static int passageHolding(List<Passage> passages, String needle) {
    for (int i = 0; i < passages.size(); i++) {
      if (NeedleText.contains(passages.get(i).text(), needle)) {
        return i + 1;
      }
    }
    return 0;
  }

  /** 1-based fused rank of the best candidate chunk holding the needle, 0 when none does. */
  static int rankHolding(List<FusedChunk> candidates, String needle) {
    for (int i = 0; i < candidates.size(); i++) {
      if (NeedleText.contains(candidates.get(i).chunk().text(), needle)) {
        return i + 1;
      }
    }
    return 0;
  }

  private static String describe(int passage, int rank, FusedChunk chunk) {
    String packed = passage > 0 ? "packed in passage " + passage : "not packed";
    if (chunk == null) {
      return packed + ", not among the candidates";
    }
    return packed + ", fused rank " + rank + " (BM25 " + rankOrDash(chunk.lexicalRank()) + ", vector "
        + rankOrDash(chunk.vectorRank()) + ")";
  }

  private static String rankOrDash(Integer rank) {
    return rank == null ? "-" : rank.toString();
  }

  /** What indexing cost: document writes, distinct chunk texts embedded (each once per run) and the model time. */
  public String indexSummary() {
    return String.format(Locale.ROOT, "%,d document writes; %,d distinct chunk texts embedded with %s in %,d ms",
        index.writes(), embedder.embeddedTexts(), embedder.modelName(), embedder.embeddingMillis());
  }

  /** Documents written to the scratch archive so far: segments indexed, needles placed and restored. */
  public long documentWrites() {
    return index.writes();
  }

  @Override
  public void close() {
    scratch.close();
  }
}
