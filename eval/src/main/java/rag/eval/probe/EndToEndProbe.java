package rag.eval.probe;

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
import rag.query.Answer;
import rag.query.GenerationFailedException;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.generate.ModelClient;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.plan.Planner;
import rag.query.profile.ModelProfile;
import rag.query.profile.ModelProfiles;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.HybridRetriever;

/**
 * End to end: the haystack is indexed like an ingested collection (BM25 and vectors) in a scratch archive, the
 * question goes through the service's {@link QueryPipeline} with the profile's model (plan, assemble, generate),
 * and the run scores the model's answer against the needles' expected answers ({@link rag.eval.niah.AnswerScorer}:
 * exact and partial matching). The plan's mode is the probe's {@code mode} ({@link Mode#AUTO}: stuff when the
 * haystack fits the window, else retrieve). When the plan retrieves, the rank is the best fused rank of a chunk
 * holding the needles, as in {@link RetrieveProbe}; the detail says how many target needles the prompt held, which
 * tells a retrieval miss from a reading miss. A model failure fails only its cell (score 0, the error as the
 * detail).
 * An optional judge model ({@link ModelJudge}, given to {@link rag.eval.niah.NiahRun}) grades what word matching
 * cannot (paraphrases).
 */
public final class EndToEndProbe implements NeedleProbe, AutoCloseable {
  private static final int ANSWER_IN_DETAIL = 300;

  private final ModelProfile profile;
  private final Mode mode;
  private final ScratchArchive scratch;
  private final HaystackIndex index;
  private final HybridRetriever retriever;
  private final Planner planner;
  private final QueryPipeline pipeline;
  private final MemoizingEmbedder embedder;

  public EndToEndProbe(ProbeParts parts, ModelProfile profile, Mode mode, ModelClient client) {
    this.profile = Objects.requireNonNull(profile, "profile");
    if (!profile.hasModel()) {
      throw new IllegalArgumentException("end-to-end needs a model: profile '" + profile.name()
          + "' has no base URL");
    }
    this.mode = mode == null ? Mode.AUTO : mode;
    this.embedder = new MemoizingEmbedder(parts.embedder());
    this.scratch = ScratchArchive.open(parts.scratchDir(), embedder.dimension(), embedder.modelName());
    this.index = new HaystackIndex(scratch.archive(),
        new TextIndexer(scratch.archive(), parts.chunker(), embedder, "niah"));
    this.retriever = new HybridRetriever(scratch.archive(), embedder, parts.rrfK(), parts.nearDuplicateThreshold());
    this.planner = Planner.builder(scratch.archive().reader(), parts.counter()).retriever(retriever)
        .settings(parts.planner().withSelfRoute(false)).build(); // a NIAH run measures the mode it asks for
    this.pipeline = new QueryPipeline(scratch.archive().reader(), new ModelProfiles(List.of(profile),
        profile.name()), planner, retriever, Objects.requireNonNull(client, "client"));
  }

  @Override
  public void prepare(Haystack haystack) {
    index.show(haystack);
  }

  @Override
  public ProbeResult probe(PlacedHaystack haystack, String question) {
    index.place(haystack);
    try {
      Answer answer = pipeline.answer(new QueryRequest(question, index.scope(), profile.name(), mode, null),
          token -> { });
      Plan plan = answer.plan();
      Integer rank = plan.mode() == Mode.RETRIEVE ? rank(haystack, question) : null;
      String detail = String.format(Locale.ROOT, "plan %s (%,d prompt tokens, %d of %d needles in the context);"
          + " answer: %s", plan.mode().wireName(), plan.promptTokens(), inContext(plan, haystack),
          haystack.targets().size(), abbreviate(answer.text()));
      return new ProbeResult(answer.text(), rank, null, null, detail);
    } catch (GenerationFailedException e) {
      return ProbeResult.judged(false, 0, null, "the model failed (" + e.modelFailure().kind() + "): "
          + e.getMessage());
    } finally {
      index.restore();
    }
  }

  /** Targets the prompt holds: all when the whole haystack is stuffed, else those inside packed passages. */
  private int inContext(Plan plan, PlacedHaystack haystack) {
    if (plan.mode() == Mode.STUFF) {
      return plan.documentsLeftOut().isEmpty() ? haystack.targets().size() : 0;
    }
    int packed = 0;
    for (PlacedNeedle target : haystack.targets()) {
      packed += RetrieveProbe.passageHolding(plan.passages(), target.needle().text()) > 0 ? 1 : 0;
    }
    return packed;
  }

  private Integer rank(PlacedHaystack haystack, String question) {
    List<FusedChunk> candidates = retriever.retrieve(question, index.scope(), planner.settings().candidates());
    int worst = 0;
    for (PlacedNeedle target : haystack.targets()) {
      int rank = RetrieveProbe.rankHolding(candidates, target.needle().text());
      if (rank == 0) {
        return null;
      }
      worst = Math.max(worst, rank);
    }
    return worst;
  }

  /** What indexing cost: document writes, distinct chunk texts embedded (each once per run) and the model time. */
  public String indexSummary() {
    return String.format(Locale.ROOT, "%,d document writes; %,d distinct chunk texts embedded with %s in %,d ms",
        index.writes(), embedder.embeddedTexts(), embedder.modelName(), embedder.embeddingMillis());
  }

  private static String abbreviate(String text) {
    String one = text.replaceAll("\\s+", " ").strip();
    return one.length() <= ANSWER_IN_DETAIL ? one : one.substring(0, ANSWER_IN_DETAIL - 1) + "…";
  }

  @Override
  public void close() {
    scratch.close();
  }
}
