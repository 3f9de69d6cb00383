package rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rag.ingest.chunk.Chunker;
import rag.ingest.chunk.ChunkingConfig;
import rag.ingest.chunk.Chunkers;
import rag.ingest.intake.Spool;
import rag.ingest.parse.TikaParser;
import rag.storage.Archive;
import rag.storage.embed.Embedder;
import rag.storage.embed.JTokkitTokenCounter;

/** A pipeline is built from named parts, checked once when it is built. */
class IngestPipelineBuilderTest {
  @TempDir
  Path dir;

  private static final Embedder TINY = new Embedder() {
    @Override
    public List<float[]> embed(List<String> texts) {
      return texts.stream().map(t -> new float[] {1, 0, 0, 0}).toList();
    }

    @Override
    public int dimension() {
      return 4;
    }

    @Override
    public String modelName() {
      return "tiny-test";
    }
  };

  @Test
  void everyRequiredPartIsNamedWhenMissingAndTheBatchIsChecked() throws IOException {
    Chunker chunker = Chunkers.byFormat(new ChunkingConfig(200, 20), JTokkitTokenCounter.cl100k());
    try (Archive archive = IngestFixture.openArchive(dir.resolve("data"), TINY)) {
      Spool spool = new Spool(dir.resolve("spool"));
      assertThatThrownBy(() -> IngestPipeline.builder(archive, spool).chunker(chunker).embedder(TINY).build())
          .isInstanceOf(NullPointerException.class).hasMessage("parser");
      assertThatThrownBy(() -> IngestPipeline.builder(archive, spool).parser(new TikaParser()).embedder(TINY).build())
          .hasMessage("chunker");
      assertThatThrownBy(() -> IngestPipeline.builder(archive, spool).parser(new TikaParser()).chunker(chunker)
          .build()).hasMessage("embedder");
      assertThatThrownBy(() -> IngestPipeline.builder(archive, spool).parser(new TikaParser()).chunker(chunker)
          .embedder(TINY).embedBatch(0).build()).hasMessageContaining("illegal embed batch 0");
      assertThatThrownBy(() -> IngestPipeline.builder(null, spool)).hasMessage("archive");
      assertThat(IngestPipeline.builder(archive, spool).parser(new TikaParser()).chunker(chunker).embedder(TINY)
          .build()).isNotNull();
    }
  }
}
