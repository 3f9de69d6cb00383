package rag.app.eval;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Settings of a retrieval-accuracy run, as posted to {@code POST /api/eval/retrieval}. */
@Schema(name = "RetrievalRequest", description = "Settings of a retrieval-accuracy run on a dataset in the BEIR layout"
    + " (corpus.jsonl or corpus*.jsonl parts, queries.jsonl, qrels/<split>.tsv).")
public record RetrievalRequest(
    @Schema(required = true, description = "The dataset's server folder, under rag.ingest.allowed-roots (else 403).",
        examples = "/srv/corpora/scifact")
    String datasetPath,
    @Schema(description = "Retrievers to evaluate, each over the service's own chunking and indexes: bm25 (Lucene"
        + " BM25), dense (the service's embedding model, HNSW), hybrid (both fused by reciprocal rank).",
        defaultValue = "[\"bm25\", \"dense\", \"hybrid\"]")
    List<String> retrievers,
    @Schema(description = "Documents retrieved per query, 10..1000; recall@100 needs at least 100.",
        defaultValue = "100")
    Integer k,
    @Schema(description = "The qrels split to evaluate.", defaultValue = "test")
    String split) {}
