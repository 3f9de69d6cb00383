package rag.bench;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline a Java user would pick: LangChain4j Easy RAG as its documentation shows it.
 * {@code FileSystemDocumentLoader} with the default parser (Apache Tika through Easy RAG's SPI),
 * {@code EmbeddingStoreIngestor} with Easy RAG's default splitter (recursive, 300 tokens with 30
 * overlap, counted with the HuggingFace BERT tokenizer) and the given model with LangChain4j's
 * defaults, into an {@code InMemoryEmbeddingStore}. The model is only wrapped to time its calls.
 */
final class EasyRagBaseline {
  /** One folder ingested: documents loaded, segments embedded, load/embed/total seconds. */
  record Result(String format, int documents, long segments, double loadSeconds, double embedSeconds,
      double totalSeconds, double cores, HeapWatch.Peak heap) {
    double splitAndStoreSeconds() {
      return totalSeconds - loadSeconds - embedSeconds;
    }
  }

  private EasyRagBaseline() {}

  static Result ingest(String format, Path folder, EmbeddingModel model, HeapWatch heap) {
    heap.reset();
    long start = System.nanoTime();
    long cpu = ProcessCpu.nanos();
    List<Document> documents = FileSystemDocumentLoader.loadDocumentsRecursively(folder);
    long loaded = System.nanoTime();
    TimedModel timed = new TimedModel(model);
    if (!documents.isEmpty()) {
      EmbeddingStoreIngestor.builder().embeddingModel(timed).embeddingStore(new InMemoryEmbeddingStore<TextSegment>())
          .build().ingest(documents);
    }
    long end = System.nanoTime();
    Result r = new Result(format, documents.size(), timed.segments.get(), (loaded - start) / 1e9,
        timed.nanos.get() / 1e9, (end - start) / 1e9, ProcessCpu.cores(ProcessCpu.nanos() - cpu, end - start),
        heap.peak());
    System.err.printf("Easy RAG %s: %d documents, %d segments in %.1f s (load %.1f s, embed %.1f s)%n", format,
        r.documents(), r.segments(), r.totalSeconds(), r.loadSeconds(), r.embedSeconds());
    return r;
  }

  /** Passes every call to the model, adding up the time and the segments. */
  private static final class TimedModel implements EmbeddingModel {
    private final EmbeddingModel model;
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong segments = new AtomicLong();

    TimedModel(EmbeddingModel model) {
      this.model = model;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
      long start = System.nanoTime();
      try {
        return model.embedAll(textSegments);
      } finally {
        nanos.addAndGet(System.nanoTime() - start);
        segments.addAndGet(textSegments.size());
      }
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public String modelName() {
      return model.modelName();
    }
  }
}
