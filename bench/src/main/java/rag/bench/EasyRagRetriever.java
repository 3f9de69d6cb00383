package rag.bench;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.eval.beir.BeirDocument;
import rag.eval.beir.RankedRetriever;
import rag.eval.metrics.ScoredDoc;

/**
 * The baseline: LangChain4j Easy RAG as its documentation shows it. An {@code EmbeddingStoreIngestor} with Easy
 * RAG's default splitter (recursive, 300 tokens with 30 overlap) and its default model, bge-small-en-v1.5 quantized
 * with LangChain4j's threading, into an {@code InMemoryEmbeddingStore}; queries through an
 * {@code EmbeddingStoreContentRetriever} over the same model (no query instruction: Easy RAG adds none). Each BEIR
 * document is one LangChain4j document (title and text) with its id in the metadata; a document's score is its best
 * segment's. Two changes from the bare defaults: the model is named, because this class path also holds MiniLM and
 * LangChain4j refuses to pick between two models it finds; and {@code maxResults}, since 3 segments cannot fill a
 * top 100.
 */
final class EasyRagRetriever implements RankedRetriever {
  private static final String ID = "beir_id";

  private InMemoryEmbeddingStore<TextSegment> store;
  private EmbeddingModel model;

  @Override
  public String name() {
    return "easy-rag (LangChain4j)";
  }

  @Override
  public void index(List<BeirDocument> corpus) {
    store = new InMemoryEmbeddingStore<>();
    List<Document> documents = new ArrayList<>(corpus.size());
    for (BeirDocument d : corpus) {
      documents.add(Document.from(d.titleAndText(), Metadata.from(ID, d.id())));
    }
    model = new BgeSmallEnV15QuantizedEmbeddingModel();
    // no splitter given: Easy RAG's default (its DocumentSplitterFactory) is loaded as in ingest(documents, store)
    EmbeddingStoreIngestor.builder().embeddingStore(store).embeddingModel(model).build().ingest(documents);
  }

  @Override
  public List<ScoredDoc> search(String query, int k) {
    int segments = 3 * k;
    while (true) {
      EmbeddingStoreContentRetriever retriever = EmbeddingStoreContentRetriever.builder().embeddingStore(store)
          .embeddingModel(model).maxResults(segments).build();
      List<Content> contents = retriever.retrieve(Query.from(query));
      Map<String, Double> best = new LinkedHashMap<>();
      for (Content c : contents) {
        double score = ((Number) c.metadata().get(ContentMetadata.SCORE)).doubleValue();
        best.merge(c.textSegment().metadata().getString(ID), score, Math::max);
      }
      if (best.size() >= k || contents.size() < segments) {
        return best.entrySet().stream().limit(k).map(e -> new ScoredDoc(e.getKey(), e.getValue())).toList();
      }
      segments *= 2;
    }
  }
}
