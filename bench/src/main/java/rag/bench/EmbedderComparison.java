package rag.bench;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import rag.ingest.chunk.Chunker;
import rag.ingest.chunk.Chunkers;
import rag.ingest.parse.ParseFailure;
import rag.ingest.parse.ParserLimits;
import rag.ingest.parse.Source;
import rag.ingest.parse.TikaParser;
import rag.storage.embed.InProcessModel;
import rag.storage.embed.JTokkitTokenCounter;
import rag.storage.embed.OnnxEmbedder;
import rag.storage.model.Chunk;

/**
 * Part (b) of the ingestion benchmark: the raw embedders on the pipeline's chunk texts, and those
 * texts' lengths in the model's tokens; also on its own ({@code --only=embedders}).
 */
final class EmbedderComparison {
  private EmbedderComparison() {}

  /** The model as LangChain4j's own class with its defaults: what Easy RAG and most Java users run. */
  static EmbeddingModel lc4jDefault(InProcessModel model) {
    return model == InProcessModel.BGE_SMALL_EN_V15_Q
        ? new BgeSmallEnV15QuantizedEmbeddingModel() : new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** (b) All chunk texts with our embedder (when {@code all}), then the sample with each embedder. */
  static List<EmbedderThroughput.Result> run(IngestBenchmark.Settings s, OnnxEmbedder onnx, EmbeddingModel lc4jDefault,
      Map<String, List<String>> textsByFormat, boolean all) {
    List<String> texts = textsByFormat.values().stream().flatMap(List::stream).toList();
    List<EmbedderThroughput.Result> embedders = new ArrayList<>();
    if (all) {
      embedders.add(EmbedderThroughput.of("OnnxEmbedder, " + s.threads() + " threads (ours), all chunks", onnx, texts));
    }
    List<String> sample = EmbedderThroughput.sample(texts, s.sample());
    embedders.add(EmbedderThroughput.of("OnnxEmbedder, " + s.threads() + " threads (ours), sample", onnx, sample));
    try (OnnxEmbedder one = new OnnxEmbedder(s.model(), 1)) {
      embedders.add(EmbedderThroughput.of("OnnxEmbedder, 1 thread, sample", one, sample));
    }
    embedders.add(EmbedderThroughput.of("LangChain4j defaults (" + lc4jDefault.getClass().getSimpleName()
        + "), sample", lc4jDefault, sample));
    return embedders;
  }

  static List<ModelTokens.Lengths> lengths(IngestBenchmark.Settings s, Map<String, List<String>> textsByFormat) {
    ModelTokens tokens = new ModelTokens(s.model());
    List<ModelTokens.Lengths> lengths = new ArrayList<>();
    textsByFormat.forEach((format, texts) -> lengths.add(tokens.lengths(format, texts)));
    lengths.add(tokens.lengths("all", textsByFormat.values().stream().flatMap(List::stream).toList()));
    return lengths;
  }

  /**
   * Only (b): for a second look at the embedders when the machine is quieter. The chunk texts are
   * made from the benchmark's input folders by the service's parser and chunkers, without the rest of
   * the pipeline (the texts the pipeline would store). Writes {@code ingest-embedders-<date>.md}.
   */
  static void alone(IngestBenchmark.Settings s, Path input) throws Exception {
    Map<String, List<String>> textsByFormat = new TreeMap<>();
    TikaParser parser = new TikaParser(new ParserLimits(50_000_000, Duration.ofSeconds(120)));
    Chunker chunker = Chunkers.byFormat(ServicePipeline.CHUNKING, JTokkitTokenCounter.cl100k());
    try (Stream<Path> files = Files.walk(input)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String sourcePath = input.relativize(file).toString();
        try {
          chunker.chunk(parser.parse(new Source(sourcePath, file, Files.size(file)))).stream()
              .map(Chunk::text).forEach(text -> textsByFormat.computeIfAbsent(
                  sourcePath.substring(0, sourcePath.indexOf('/')), k -> new ArrayList<>()).add(text));
        } catch (ParseFailure e) {
          System.err.println("skipped " + sourcePath + ": " + e.getMessage());
        }
      }
    }
    List<EmbedderThroughput.Result> embedders;
    String load;
    long started = System.nanoTime();
    try (OnnxEmbedder onnx = new OnnxEmbedder(s.model(), s.threads()); MachineLoad machine = new MachineLoad()) {
      embedders = run(s, onnx, lc4jDefault(s.model()), textsByFormat, false);
      load = machine.summary();
    }
    String report = IngestReport.renderEmbedders(s, embedders, lengths(s, textsByFormat), load,
        (System.nanoTime() - started) / 6e10);
    System.out.println(report);
    Files.createDirectories(s.results());
    Path out = s.results().resolve("ingest-embedders-" + LocalDateTime.now().withNano(0).toString().replace(':', '-')
        + ".md");
    Files.writeString(out, report);
    System.err.println("written to " + out);
    System.exit(0);
  }

}
