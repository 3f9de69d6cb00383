package rag.storage;

import java.util.Objects;
import rag.storage.audit.AuditStore;
import rag.storage.blobs.BlobStore;
import rag.storage.catalog.TokenCountStore;
import rag.storage.chat.ConversationLog;
import rag.storage.embed.EmbeddingCache;
import rag.storage.evals.EvalRunStore;
import rag.storage.evals.QuestionSetStore;
import rag.storage.jobs.JobStore;
import rag.storage.keys.ApiKeyStore;

/** The stores beside the catalog in its database: what every instance on that database shares. */
public record CatalogStores(JobStore jobs, EmbeddingCache embeddingCache, TokenCountStore tokenCounts,
    EvalRunStore evalRuns, ApiKeyStore apiKeys, AuditStore audit, QuestionSetStore questionSets,
    ConversationLog conversations, BlobStore blobs) {

  public CatalogStores {
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(embeddingCache, "embeddingCache");
    Objects.requireNonNull(tokenCounts, "tokenCounts");
    Objects.requireNonNull(evalRuns, "evalRuns");
    Objects.requireNonNull(apiKeys, "apiKeys");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(questionSets, "questionSets");
    Objects.requireNonNull(conversations, "conversations");
    Objects.requireNonNull(blobs, "blobs");
  }

  /** The same stores with another job store (a benchmark's instrumented one). */
  public CatalogStores withJobs(JobStore other) {
    return new CatalogStores(other, embeddingCache, tokenCounts, evalRuns, apiKeys, audit, questionSets,
        conversations, blobs);
  }
}
