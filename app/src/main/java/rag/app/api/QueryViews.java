package rag.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import rag.app.security.Caller;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import rag.query.Answer;
import rag.query.RoutedStep;
import rag.query.assemble.PromptLayout;
import rag.query.cite.Citation;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.Passage;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.model.SearchFilter;

/** The JSON shapes of questions, plans and answers. */
public final class QueryViews {
  private QueryViews() {}

  /**
   * Narrows a question or a search to some documents: by id, media type or source path prefix (all optional), the
   * same for {@code /query}, {@code /plan} and {@code /search}.
   */
  @Schema(description = "Narrows the scope to some documents of the collection; every member is optional and they"
      + " combine (a document must pass each one given).")
  public record Filters(
      @Schema(description = "Only these documents (ids as in GET /api/documents/{id}).")
      Set<String> documentIds,
      @Schema(description = "Only documents of these media types, exactly as the documents list them, e.g."
          + " application/pdf.")
      Set<String> mediaTypes,
      @Schema(description = "Only documents whose source path starts with this, e.g. team/.")
      String pathPrefix) {

    /**
     * The collection narrowed by these filters (null filters: the whole collection), limited to what the caller may
     * read: retrieval, stuffing and citations then never see another collection, whatever a later change does.
     */
    public static SearchFilter scope(String collection, Filters f, Caller caller) {
      if (f == null) {
        return SearchFilter.collection(collection).readableOnly(caller.readableCollections());
      }
      requireNoNulls("filters.documentIds", f.documentIds());
      requireNoNulls("filters.mediaTypes", f.mediaTypes());
      return new SearchFilter(collection, f.documentIds(), f.mediaTypes(), f.pathPrefix())
          .readableOnly(caller.readableCollections());
    }

    private static void requireNoNulls(String field, Set<String> values) {
      if (values != null && values.stream().anyMatch(Objects::isNull)) {
        throw ProblemException.badRequest("illegal " + field + ": null is not a value");
      }
    }
  }

  /** {@code mode}: auto (default), stuff, retrieve or route; {@code profile}: a configured model profile. */
  public record QueryBody(String question, String profile, String mode, Integer topK, Filters filters) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DocumentRef(String label, String documentId, String source, String title, String mediaType,
      long tokens) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChunkRef(String id, String documentId, String source, List<String> chunkIds, int tokens, double score,
      Integer page, Integer pageEnd, Integer lineStart, Integer lineEnd, Long startMs, Long endMs) {}

  /**
   * {@code retrieval} (retrieve mode): {@code hybrid} (BM25 and vectors, fused), or {@code bm25} when the collection
   * needs re-indexing, {@code vectorSearchOff} then saying why.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlanView(String mode, String reason, String profile, long contextWindow, int answerReserve,
      long budget, double safetyMargin, Double tokenRatio, String tokenizer,
      @Schema(description = "How promptTokens was counted: exact (the model's own tokenizer, template included, no"
          + " margin), calibrated (stored counts scaled by the server's /tokenize ratio) or estimated (stored counts"
          + " plus the safety margin).") String tokenCounting,
      long corpusTokens, long promptTokens, int documentsInScope, Double estimatedPrefillSeconds, String retrieval, String vectorSearchOff,
      @Schema(description = "Retrieve mode with a reranker for answers (rag.rerank.*): how the fused candidates were"
          + " reranked, or why the fused order stood (the reranker failed or timed out). Absent without a reranker.")
      String rerank,
      List<DocumentRef> documents, List<DocumentRef> documentsLeftOut, List<ChunkRef> chunks, int chunksLeftOut,
      List<ChunkRef> bestLeftOut,
      @Schema(description = "A routed plan's steps, this plan being the first: retrieval within growing budgets, then"
          + " perhaps the whole scope; each moves on only when the model replies UNANSWERABLE. Absent when not"
          + " routed.") List<RouteStepView> route,
      String prompt) {
    public PlanView withPrompt(String text) {
      return new PlanView(mode, reason, profile, contextWindow, answerReserve, budget, safetyMargin, tokenRatio, tokenizer,
          tokenCounting, corpusTokens, promptTokens, documentsInScope, estimatedPrefillSeconds, retrieval, vectorSearchOff, rerank, documents,
          documentsLeftOut, chunks, chunksLeftOut, bestLeftOut, route, text);
    }
  }

  /** A step a routed answer took (see {@link RoutedStep}), its mode as the API spells modes. */
  public record RoutedStepView(int step, String mode, long budget, long promptTokens, long tokensSpent,
      boolean answered, String note) {
    public static RoutedStepView of(RoutedStep s) {
      return new RoutedStepView(s.step(), s.mode().wireName(), s.budget(), s.promptTokens(), s.tokensSpent(),
          s.answered(), s.note());
    }
  }

  /** A planned step of a routed answer: retrieve within {@code tokens}, or stuff the scope in about {@code tokens}. */
  public record RouteStepView(String mode, long tokens) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CitationView(String id, String documentId, String source, String title, Integer page, Integer pageEnd,
      Integer lineStart, Integer lineEnd, Long startMs, Long endMs, String speaker, String snippet, double score) {
    static CitationView of(Citation c) {
      return new CitationView(c.id(), c.documentId(), c.source(), c.title(), c.page(), c.pageEnd(), c.lineStart(),
          c.lineEnd(), c.startMs(), c.endMs(), c.speaker(), c.snippet(), c.score());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnswerView(String answer, String answerKind, PlanView plan, List<CitationView> citations,
      Long timeToFirstTokenMs, Long generationMs, Integer promptTokens, Integer completionTokens,
      @Schema(description = "A routed answer's steps, the last one answering (absent when not routed)")
      List<RoutedStepView> route,
      @Schema(description = "Model tokens the answer cost in all: prompts and answers of every step") Long tokensSpent) {}

  public static PlanView plan(Plan plan) {
    List<DocumentRef> documents = new ArrayList<>();
    for (int i = 0; i < plan.documents().size(); i++) {
      documents.add(ref(PromptLayout.documentLabel(i), plan.documents().get(i)));
    }
    List<ChunkRef> chunks = new ArrayList<>();
    for (int i = 0; i < plan.passages().size(); i++) {
      Passage p = plan.passages().get(i);
      Provenance at = p.provenance();
      String source = plan.documents().stream().filter(d -> d.id().equals(p.documentId())).map(Document::sourcePath)
          .findFirst().orElse(null);
      chunks.add(new ChunkRef(PromptLayout.citationLabel(i + 1), p.documentId(), source, p.chunkIds(), p.tokens(),
          p.score(), at.pageStart(), at.pageEnd(), at.lineStart(), at.lineEnd(), at.startMs(), at.endMs()));
    }
    return new PlanView(plan.mode().wireName(), plan.reason(), plan.profile(), plan.contextWindow(),
        plan.answerReserve(), plan.budget(), plan.safetyMargin(), plan.tokenRatio(), plan.tokenizer(),
        plan.tokenCounting().wireName(), plan.corpusTokens(),
        plan.promptTokens(), plan.documentsInScope(), plan.estimatedPrefillSeconds(),
        plan.mode() != Mode.RETRIEVE ? null : plan.vectorSearchOff() == null ? "hybrid" : "bm25",
        plan.vectorSearchOff(), plan.rerank(), documents,
        plan.documentsLeftOut().stream().map(d -> ref(null, d)).toList(), chunks, plan.chunksLeftOut(),
        plan.bestLeftOut().stream().map(f -> leftOut(f, plan)).toList(),
        plan.route() == null ? null : plan.route().steps().stream()
            .map(s -> new RouteStepView(s.mode().wireName(), s.tokens())).toList(), null);
  }

  public static AnswerView answer(Answer a) {
    var g = a.generation();
    return new AnswerView(a.text(), a.kind().name().toLowerCase(Locale.ROOT), plan(a.plan()),
        a.citations().stream().map(CitationView::of).toList(),
        g == null || g.timeToFirstToken() == null ? null : g.timeToFirstToken().toMillis(),
        g == null || g.total() == null ? null : g.total().toMillis(), g == null ? null : g.promptTokens(),
        g == null ? null : g.completionTokens(), a.route().isEmpty() ? null : a.route().stream().map(RoutedStepView::of).toList(),
        g == null ? null : a.tokensSpent());
  }

  private static ChunkRef leftOut(FusedChunk f, Plan plan) {
    var c = f.chunk();
    Provenance at = c.provenance();
    return new ChunkRef(null, c.documentId(), null, List.of(c.id()), c.tokenCount(), f.score(), at.pageStart(),
        at.pageEnd(), at.lineStart(), at.lineEnd(), at.startMs(), at.endMs());
  }

  private static DocumentRef ref(String label, Document d) {
    return new DocumentRef(label, d.id(), d.sourcePath(), d.title(), d.mediaType(), d.tokenCount());
  }
}
