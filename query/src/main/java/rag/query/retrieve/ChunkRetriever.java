package rag.query.retrieve;

import java.util.List;
import java.util.Optional;
import rag.storage.model.SearchFilter;

/**
 * Finds the chunks of a scope that best answer a question, best first: what the planner and the pipeline need of
 * retrieval (LangChain4j's {@code ContentRetriever} has the same shape). {@link HybridRetriever} is the service's;
 * tests where the engines are not the point may use a simple one.
 */
public interface ChunkRetriever {
  /** Up to about {@code candidates} chunks per ranking, fused, best first, all within {@code scope}. */
  List<FusedChunk> retrieve(String question, SearchFilter scope, int candidates);

  /** Why vector search cannot serve this scope, for plans to say; empty when it can, or when there is none. */
  default Optional<String> vectorSearchOff(SearchFilter scope) {
    return Optional.empty();
  }
}
