package rag.app.eval;

import java.nio.file.Path;
import java.util.List;
import rag.eval.stack.ArchiveRetriever;

/** A validated retrieval-accuracy run; {@code settings} is the request with every default filled in. */
public record RetrievalPlan(RetrievalRequest settings, Path dataset, String split, List<ArchiveRetriever.Kind> retrievers,
    int k) implements EvalPlan {
  public RetrievalPlan {
    retrievers = List.copyOf(retrievers);
  }

  @Override
  public String kind() {
    return "retrieval";
  }
}
