package rag.query.plan;

import java.util.List;
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
 */
public record Plan(Mode mode, String reason, String profile, long contextWindow, int answerReserve, long budget,
    double safetyMargin, Double tokenRatio, String tokenizer, TokenCounting tokenCounting, long corpusTokens,
    int documentsInScope, long promptTokens,
    List<Document> documents, List<Document> documentsLeftOut, List<Passage> passages, int chunksLeftOut,
    List<FusedChunk> bestLeftOut, Double estimatedPrefillSeconds, String vectorSearchOff) {

  public Plan withReason(String newReason) {
    return new Plan(mode, newReason, profile, contextWindow, answerReserve, budget, safetyMargin, tokenRatio, tokenizer,
        tokenCounting, corpusTokens, documentsInScope, promptTokens, documents, documentsLeftOut, passages,
        chunksLeftOut, bestLeftOut,
        estimatedPrefillSeconds, vectorSearchOff);
  }

  public Plan {
    documents = List.copyOf(documents);
    documentsLeftOut = List.copyOf(documentsLeftOut);
    passages = List.copyOf(passages);
    bestLeftOut = List.copyOf(bestLeftOut);
  }

  public boolean isEmpty() {
    return documents.isEmpty();
  }
}
