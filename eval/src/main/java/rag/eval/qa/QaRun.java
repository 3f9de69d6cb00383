package rag.eval.qa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import rag.eval.ProgressListener;
import rag.query.QueryPipeline;
import rag.query.QueryRequest;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.retrieve.ChunkSearch;
import rag.query.retrieve.Passage;
import rag.query.retrieve.RetrieverKind;
import rag.query.retrieve.SearchHit;
import rag.query.retrieve.SearchRequest;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * Retrieval accuracy over a collection, with the service's own search: each question asked of each retriever for its
 * top k chunks, each chunk graded against the question's expected passages (any one of which answers it).
 *
 * <p>Per question and retriever: the rank of the first chunk holding an expected passage ({@code hitRank}), or of the
 * first chunk of an expected document ({@code documentRank}). hits@n: the passage within the top n; MRR@10: 1 / its
 * rank; nDCG@10 with that one graded target: 1 / log2(rank + 1) for the passage, a third of that for its document when
 * no chunk holds the passage.
 */
public final class QaRun {
  public static final List<Integer> HITS_AT = List.of(1, 5, 10);

  private final ChunkSearch search;
  private final SearchFilter scope;

  public QaRun(ChunkSearch search, SearchFilter scope) {
    this.search = Objects.requireNonNull(search, "search");
    this.scope = Objects.requireNonNull(scope, "scope");
  }

  /** One retrieved chunk as graded. */
  public record Retrieved(int rank, String documentId, String source, String where, String chunkId,
      ExpectedPassage.Grade grade) {}

  /** A question's outcome with one retriever. */
  public record Outcome(String retriever, Integer hitRank, Integer documentRank, List<Retrieved> retrieved) {
    public double hitsAt(int n) {
      return hitRank != null && hitRank <= n ? 1 : 0;
    }

    public double reciprocalRank() {
      return hitRank != null && hitRank <= 10 ? 1.0 / hitRank : 0;
    }

    public double ndcgAt10() {
      if (hitRank != null && hitRank <= 10) {
        return 1 / log2(hitRank + 1);
      }
      return documentRank != null && documentRank <= 10 ? 1 / (3 * log2(documentRank + 1)) : 0;
    }

    private static double log2(double x) {
      return Math.log(x) / Math.log(2);
    }
  }

  public record QuestionResult(String id, String question, List<Outcome> outcomes) {}

  public record Result(int k, Map<String, Map<String, Double>> metrics, List<QuestionResult> questions,
      List<BudgetRecall> packing, EndToEnd endToEnd) {
    public Result(int k, Map<String, Map<String, Double>> metrics, List<QuestionResult> questions) {
      this(k, metrics, questions, List.of(), null);
    }
  }

  /**
   * Questions answered by a profile's model through the service's pipeline ({@code auto}): the share of answers holding
   * the expected answer (exactly, or at least the threshold of its content words; questions without an answer are not
   * counted) and the share of questions whose citations point at an expected passage (by source and page, time or line
   * overlap, or the cited snippet holding the text).
   */
  public record EndToEnd(String profile, String judge, double answerAccuracy, int answered, double citationAccuracy,
      List<AnswerCheck> answers) {}

  /**
   * One question's answer: its text, score and correctness (null without an expected answer; the judge's grade / 10
   * when there is a judge, with its words in {@code judged}), its citations.
   */
  public record AnswerCheck(String id, String answer, Double score, Boolean correct, String judged,
      boolean citesPassage, int citations, long tokensSpent, String error) {}

  /**
   * Asks each question of the profile's model and checks the answer and its citations; a citation's text is that of
   * the cited document's chunks at the cited place (read from {@code catalog}), so that a text expectation can be
   * checked.
   */
  public Result withAnswers(Result result, List<QaQuestion> questions, QueryPipeline pipeline,
      rag.storage.catalog.CatalogReader catalog, String profile, double threshold,
      rag.eval.niah.AnswerJudge judge, ProgressListener progress) {
    rag.eval.niah.AnswerScorer scorer = new rag.eval.niah.AnswerScorer();
    List<AnswerCheck> checks = new ArrayList<>();
    int done = 0;
    for (QaQuestion q : questions) {
      AnswerCheck check;
      try {
        rag.query.Answer a = pipeline.answer(new QueryRequest(q.question(), scope, profile, Mode.AUTO, null),
            token -> { });
        Double score = null;
        Boolean correct = null;
        String judged = null;
        if (q.answer() != null && !q.answer().isBlank() && judge != null) {
          rag.eval.niah.AnswerJudge.Grade grade = judge.grade(q.question(), q.answer(), a.text());
          score = grade.score();
          correct = grade.score() >= threshold;
          judged = grade.reason();
        } else if (q.answer() != null && !q.answer().isBlank()) {
          rag.eval.niah.AnswerScore s = scorer.score(a.text(), q.answer());
          score = s.value();
          correct = s.exact() || s.value() >= threshold;
        }
        boolean cites = a.citations().stream().anyMatch(c -> c.source() != null && citesExpected(q, c, catalog));
        check = new AnswerCheck(q.id(), a.text(), score, correct, judged, cites, a.citations().size(), a.tokensSpent(),
            null);
      } catch (rag.query.GenerationFailedException e) {
        check = new AnswerCheck(q.id(), null, null, q.answer() == null ? null : false, null, false, 0, 0,
            "the model failed (" + e.modelFailure().kind() + "): " + e.getMessage());
      }
      checks.add(check);
      progress.progress(++done, questions.size());
    }
    List<AnswerCheck> scored = checks.stream().filter(c -> c.correct() != null).toList();
    double accuracy = scored.isEmpty() ? 0 : scored.stream().filter(AnswerCheck::correct).count()
        / (double) scored.size();
    double citations = checks.stream().filter(AnswerCheck::citesPassage).count() / (double) checks.size();
    return new Result(result.k(), result.metrics(), result.questions(), result.packing(),
        new EndToEnd(profile, judge == null ? null : judge.name(), accuracy, scored.size(), citations, checks));
  }

  /**
   * At one retrieval budget, the share of questions whose packed prompt (retrieve mode, as the planner packs it for the
   * profile) holds an expected passage, and the ids of those whose prompt does not.
   */
  public record BudgetRecall(long budget, double recall, double meanPromptTokens, List<String> missed) {}

  /** Packs each question's prompt at each budget with the service's planner, for {@link BudgetRecall}. */
  public Result withPacking(Result result, List<QaQuestion> questions, QueryPipeline pipeline, String profile,
      List<Long> budgets, ProgressListener progress) {
    List<BudgetRecall> recalls = new ArrayList<>();
    int done = 0;
    for (long budget : budgets) {
      List<String> missed = new ArrayList<>();
      long tokens = 0;
      for (QaQuestion q : questions) {
        Plan plan = pipeline.plan(new QueryRequest(q.question(), scope, profile, Mode.RETRIEVE, null, null, budget),
            null);
        tokens += plan.promptTokens();
        if (!packed(q, plan)) {
          missed.add(q.id());
        }
        progress.progress(++done, budgets.size() * questions.size());
      }
      recalls.add(new BudgetRecall(budget, 1 - (double) missed.size() / questions.size(),
          (double) tokens / questions.size(), missed));
    }
    return new Result(result.k(), result.metrics(), result.questions(), recalls, result.endToEnd());
  }

  private static boolean citesExpected(QaQuestion q, rag.query.cite.Citation c,
      rag.storage.catalog.CatalogReader catalog) {
    rag.storage.model.Provenance at = new rag.storage.model.Provenance(c.page(), c.pageEnd(), c.lineStart(),
        c.lineEnd(), c.startMs(), c.endMs(), null, null);
    StringBuilder text = new StringBuilder(c.snippet() == null ? "" : c.snippet());
    if (c.documentId() != null) {
      for (rag.storage.model.Chunk chunk : catalog.chunks(c.documentId())) {
        if (overlaps(at, chunk.provenance())) {
          text.append('\n').append(chunk.text());
        }
      }
    }
    return q.expected().stream().anyMatch(e -> e.grade(c.source(), text.toString(), at)
        == ExpectedPassage.Grade.PASSAGE);
  }

  /** True when the cited place and the chunk share a page, a moment or a line (or the citation names no place). */
  private static boolean overlaps(rag.storage.model.Provenance cited, rag.storage.model.Provenance chunk) {
    if (cited.pageStart() == null && cited.startMs() == null && cited.lineStart() == null) {
      return true;
    }
    return overlap(cited.pageStart(), cited.pageEnd(), chunk.pageStart(), chunk.pageEnd())
        || overlap(cited.startMs(), cited.endMs(), chunk.startMs(), chunk.endMs())
        || overlap(cited.lineStart(), cited.lineEnd(), chunk.lineStart(), chunk.lineEnd());
  }

  private static <T extends Comparable<T>> boolean overlap(T from, T to, T start, T end) {
    if (from == null || start == null) {
      return false;
    }
    T last = to == null ? from : to;
    T chunkLast = end == null ? start : end;
    return start.compareTo(last) <= 0 && chunkLast.compareTo(from) >= 0;
  }

  private static boolean packed(QaQuestion q, Plan plan) {
    Map<String, Document> documents = new java.util.HashMap<>();
    plan.documents().forEach(d -> documents.put(d.id(), d));
    for (Passage p : plan.passages()) {
      Document d = documents.get(p.documentId());
      if (d != null && q.expected().stream()
          .anyMatch(e -> e.grade(d, p.text(), p.provenance()) == ExpectedPassage.Grade.PASSAGE)) {
        return true;
      }
    }
    return false;
  }

  public Result run(List<QaQuestion> questions, List<RetrieverKind> retrievers, int k, ProgressListener progress) {
    int total = questions.size() * retrievers.size();
    int done = 0;
    List<QuestionResult> results = new ArrayList<>();
    for (QaQuestion q : questions) {
      List<Outcome> outcomes = new ArrayList<>();
      for (RetrieverKind retriever : retrievers) {
        outcomes.add(outcome(q, retriever, k));
        progress.progress(++done, total);
      }
      results.add(new QuestionResult(q.id(), q.question(), outcomes));
    }
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    for (int r = 0; r < retrievers.size(); r++) {
      int index = r;
      List<Outcome> of = results.stream().map(q -> q.outcomes().get(index)).toList();
      Map<String, Double> m = new LinkedHashMap<>();
      for (int n : HITS_AT) {
        m.put("hits@" + n, of.stream().mapToDouble(o -> o.hitsAt(n)).average().orElse(0));
      }
      m.put("mrr@10", of.stream().mapToDouble(Outcome::reciprocalRank).average().orElse(0));
      m.put("ndcg@10", of.stream().mapToDouble(Outcome::ndcgAt10).average().orElse(0));
      metrics.put(retrievers.get(r).wireName(), m);
    }
    return new Result(k, metrics, results);
  }

  private Outcome outcome(QaQuestion q, RetrieverKind retriever, int k) {
    List<SearchHit> hits = search.search(new SearchRequest(q.question(), scope, retriever, k)).hits();
    List<Retrieved> retrieved = new ArrayList<>();
    Integer hitRank = null;
    Integer documentRank = null;
    for (SearchHit hit : hits) {
      ExpectedPassage.Grade grade = ExpectedPassage.Grade.NONE;
      for (ExpectedPassage e : q.expected()) {
        ExpectedPassage.Grade g = e.grade(hit.document(), hit.chunk());
        if (g.gain() > grade.gain()) {
          grade = g;
        }
      }
      if (grade == ExpectedPassage.Grade.PASSAGE && hitRank == null) {
        hitRank = hit.rank();
      }
      if (grade != ExpectedPassage.Grade.NONE && documentRank == null) {
        documentRank = hit.rank();
      }
      retrieved.add(new Retrieved(hit.rank(), hit.document().id(), hit.document().sourcePath(),
          rag.query.assemble.PromptLayout.where(hit.chunk().provenance()), hit.chunk().id(), grade));
    }
    return new Outcome(retriever.wireName(), hitRank, documentRank, retrieved);
  }
}
