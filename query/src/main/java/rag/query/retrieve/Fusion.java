package rag.query.retrieve;

import java.util.List;
import java.util.Locale;
import rag.storage.model.ScoredChunk;

/**
 * How the BM25 and the kNN ranking of one scope become one ranking, best first: {@link RankFusion} (by rank, the
 * default) or {@link ScoreFusion} (by normalized score). Each fused chunk keeps its rank in each list.
 */
public interface Fusion {
  List<FusedChunk> fuse(List<ScoredChunk> lexical, List<ScoredChunk> vector);

  /** The weight of each ranking: each at least 0 and finite, not both 0. */
  record Weights(double lexical, double vector) {
    public static final Weights EQUAL = new Weights(1, 1);

    public Weights {
      if (!(lexical >= 0 && vector >= 0) || lexical + vector == 0 || Double.isInfinite(lexical)
          || Double.isInfinite(vector)) {
        throw new IllegalArgumentException("illegal fusion weights " + lexical + " and " + vector
            + ": each at least 0, not both 0");
      }
    }
  }

  /** {@code rrf} or {@code score} (case ignored), with these weights; {@code rrfK} serves {@code rrf} only. */
  static Fusion named(String method, int rrfK, Weights weights) {
    return switch (method.strip().toLowerCase(Locale.ROOT)) {
      case "rrf" -> new RankFusion(rrfK, weights.lexical(), weights.vector());
      case "score" -> new ScoreFusion(weights);
      default -> throw new IllegalArgumentException("illegal fusion '" + method + "', must be rrf or score");
    };
  }
}
