package rag.eval.beir;

import java.util.List;
import java.util.Objects;

/**
 * A BEIR dataset split ready to evaluate: the whole corpus, the queries that have judgments in this split (in
 * {@code queries.jsonl} order; queries without judgments are left out, as BEIR does), and the judgments.
 */
public record BeirDataset(String name, String split, List<BeirDocument> corpus, List<BeirQuery> queries,
    Qrels qrels) {
  public BeirDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(split, "split");
    corpus = List.copyOf(corpus);
    queries = List.copyOf(queries);
    Objects.requireNonNull(qrels, "qrels");
  }
}
