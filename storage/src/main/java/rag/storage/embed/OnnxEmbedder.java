package rag.storage.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * In-process ONNX embeddings through LangChain4j, tuned for throughput on few cores: every ONNX
 * session runs one intra-op thread without spinning, and texts are embedded in parallel, one per
 * worker thread. LangChain4j's default (one session using all cores per call, spinning) leaves most
 * of the second core idle. The model loads on first use (about 1.5 s). Texts of a call made under
 * {@link EmbeddingGate#giveWayWhile} wait at its gate before they start.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
  private final InProcessModel model;
  private final int threads;
  private volatile TunedModel loaded;
  private ExecutorService executor;

  public OnnxEmbedder(InProcessModel model, int threads) {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("illegal embedding thread count " + threads + ", must be in 1..64");
    }
    this.model = model;
    this.threads = threads;
  }

  public OnnxEmbedder(InProcessModel model) {
    this(model, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    return load().embedAll(segments).content().stream().map(Embedding::vector).toList();
  }

  @Override
  public float[] embedQuery(String question) {
    return embed(List.of(model.queryPrefix() + question)).get(0);
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public String modelName() {
    return model.id();
  }

  private TunedModel load() {
    TunedModel m = loaded;
    if (m == null) {
      synchronized (this) {
        if (loaded == null) {
          executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "embedder-" + model.id());
            t.setDaemon(true);
            return t;
          });
          ExecutorService pool = executor;
          loaded = new TunedModel(model, task -> pool.execute(EmbeddingGate.held(task)));
        }
        m = loaded;
      }
    }
    return m;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private static final class TunedModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;
    private final InProcessModel model;

    TunedModel(InProcessModel model, Executor executor) {
      super(executor);
      this.model = model;
      ClassLoader cl = InProcessModel.class.getClassLoader();
      try (InputStream onnx = cl.getResourceAsStream(model.modelResource);
          InputStream tokenizer = cl.getResourceAsStream(model.tokenizerResource)) {
        if (onnx == null || tokenizer == null) {
          throw new IllegalStateException("the model jar of " + model.id() + " is not on the class path");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        OrtSession session = env.createSession(onnx.readAllBytes(), options);
        this.encoder = new OnnxBertBiEncoder(env, session, tokenizer, model.pooling);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the model " + model.id(), e);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime cannot load " + model.id() + ": " + e.getMessage(), e);
      }
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return model.dimension();
    }
  }
}
