package rag.query.plan;

import java.util.List;
import java.util.Objects;
import rag.query.retrieve.FusedChunk;
import rag.query.retrieve.Passage;
import rag.storage.model.Document;

/**
 * What will be sent to the model and why: the mode and the reason, the profile's window and the
 * budget, the scope's tokens and the prompt's (estimated from stored counts, plus the safety
 * margin), the documents or chunks included and left out, and the prefill time when the profile
 * knows its model's speed.
 *
 * @param safetyMargin the fraction added to estimates (smaller when calibrated)
 * @param tokenRatio the model's tokens per stored token, measured on its server; null when not calibrated
 * @param tokenCounting how {@code promptTokens} was counted: exactly, calibrated or estimated
 * @param documents the documents in the prompt, in prompt order (stuff: whole; retrieve: those with passages)
 * @param passages retrieve mode: the packed passages in prompt order (document, then position); empty when stuffing
 * @param chunksLeftOut retrieve mode: how many fused candidates did not fit the budget or topK
 * @param bestLeftOut retrieve mode: the best of those, at most 20, best first
 * @param vectorSearchOff retrieve mode: why retrieval was BM25 alone (the collection needs re-indexing); null when
 *     vector search took part, and when stuffing
 * @param route the steps a routed answer may take, this plan being the first; null when the answer is not routed
 * @param unanswerableMarker the prompt asks the model to reply {@link Route#UNANSWERABLE} when it lacks the answer
 * @param rerank retrieve mode with a reranker for answers: how the candidates were reranked, or why the fused order
 *     stood (the reranker failed); null when no reranker took part
 */
public record Plan(Mode mode, String reason, String profile, long contextWindow, int answerReserve, long budget,
    double safetyMargin, Double tokenRatio, String tokenizer, TokenCounting tokenCounting, long corpusTokens,
    int documentsInScope, long promptTokens,
    List<Document> documents, List<Document> documentsLeftOut, List<Passage> passages, int chunksLeftOut,
    List<FusedChunk> bestLeftOut, Double estimatedPrefillSeconds, String vectorSearchOff, Route route,
    boolean unanswerableMarker, String rerank) {

  /** This plan with another reason. */
  public Plan withReason(String newReason) {
    return toBuilder().reason(newReason).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.reason = reason;
    b.profile = profile;
    b.contextWindow = contextWindow;
    b.answerReserve = answerReserve;
    b.budget = budget;
    b.safetyMargin = safetyMargin;
    b.tokenRatio = tokenRatio;
    b.tokenizer = tokenizer;
    b.tokenCounting = tokenCounting;
    b.corpusTokens = corpusTokens;
    b.documentsInScope = documentsInScope;
    b.promptTokens = promptTokens;
    b.documents = documents;
    b.documentsLeftOut = documentsLeftOut;
    b.passages = passages;
    b.chunksLeftOut = chunksLeftOut;
    b.bestLeftOut = bestLeftOut;
    b.estimatedPrefillSeconds = estimatedPrefillSeconds;
    b.vectorSearchOff = vectorSearchOff;
    b.route = route;
    b.unanswerableMarker = unanswerableMarker;
    b.rerank = rerank;
    return b;
  }

  /** Named construction of a plan; lists default to empty, {@link #build} checks the rest once. */
  public static final class Builder {
    private Mode mode;
    private String reason;
    private String profile;
    private long contextWindow;
    private int answerReserve;
    private long budget;
    private double safetyMargin;
    private Double tokenRatio;
    private String tokenizer;
    private TokenCounting tokenCounting;
    private long corpusTokens;
    private int documentsInScope;
    private long promptTokens;
    private List<Document> documents = List.of();
    private List<Document> documentsLeftOut = List.of();
    private List<Passage> passages = List.of();
    private int chunksLeftOut;
    private List<FusedChunk> bestLeftOut = List.of();
    private Double estimatedPrefillSeconds;
    private String vectorSearchOff;
    private Route route;
    private boolean unanswerableMarker;
    private String rerank;

    private Builder() {}

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    public Builder contextWindow(long contextWindow) {
      this.contextWindow = contextWindow;
      return this;
    }

    public Builder answerReserve(int answerReserve) {
      this.answerReserve = answerReserve;
      return this;
    }

    public Builder budget(long budget) {
      this.budget = budget;
      return this;
    }

    public Builder safetyMargin(double safetyMargin) {
      this.safetyMargin = safetyMargin;
      return this;
    }

    public Builder tokenRatio(Double tokenRatio) {
      this.tokenRatio = tokenRatio;
      return this;
    }

    public Builder tokenizer(String tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    public Builder tokenCounting(TokenCounting tokenCounting) {
      this.tokenCounting = tokenCounting;
      return this;
    }

    public Builder corpusTokens(long corpusTokens) {
      this.corpusTokens = corpusTokens;
      return this;
    }

    public Builder documentsInScope(int documentsInScope) {
      this.documentsInScope = documentsInScope;
      return this;
    }

    public Builder promptTokens(long promptTokens) {
      this.promptTokens = promptTokens;
      return this;
    }

    public Builder documents(List<Document> documents) {
      this.documents = documents;
      return this;
    }

    public Builder documentsLeftOut(List<Document> documentsLeftOut) {
      this.documentsLeftOut = documentsLeftOut;
      return this;
    }

    public Builder passages(List<Passage> passages) {
      this.passages = passages;
      return this;
    }

    public Builder chunksLeftOut(int chunksLeftOut) {
      this.chunksLeftOut = chunksLeftOut;
      return this;
    }

    public Builder bestLeftOut(List<FusedChunk> bestLeftOut) {
      this.bestLeftOut = bestLeftOut;
      return this;
    }

    public Builder estimatedPrefillSeconds(Double estimatedPrefillSeconds) {
      this.estimatedPrefillSeconds = estimatedPrefillSeconds;
      return this;
    }

    public Builder vectorSearchOff(String vectorSearchOff) {
      this.vectorSearchOff = vectorSearchOff;
      return this;
    }

    public Builder route(Route route) {
      this.route = route;
      return this;
    }

    public Builder unanswerableMarker(boolean unanswerableMarker) {
      this.unanswerableMarker = unanswerableMarker;
      return this;
    }

    public Builder rerank(String rerank) {
      this.rerank = rerank;
      return this;
    }

    public Plan build() {
      return new Plan(mode, reason, profile, contextWindow, answerReserve, budget, safetyMargin, tokenRatio, tokenizer, tokenCounting, corpusTokens, documentsInScope, promptTokens, documents, documentsLeftOut, passages, chunksLeftOut, bestLeftOut, estimatedPrefillSeconds, vectorSearchOff, route, unanswerableMarker, rerank);
    }
  }

  public Plan {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(tokenCounting, "tokenCounting");
    documents = List.copyOf(documents);
    documentsLeftOut = List.copyOf(documentsLeftOut);
    passages = List.copyOf(passages);
    bestLeftOut = List.copyOf(bestLeftOut);
  }

  public boolean isEmpty() {
    return documents.isEmpty();
  }
}
