package rag.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.TestDatabase;
import rag.storage.embed.CachingEmbedder;
import rag.storage.embed.Embedder;
import rag.storage.embed.OpenAiCompatibleEmbedder;
import rag.storage.embed.OpenAiEmbeddingSettings;
import rag.storage.embed.ScriptedEmbeddingServer;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.model.Provenance;
import rag.storage.vector.EmbeddedChunk;

/**
 * An archive left by an earlier run of the service whose embedding server answered 64-dimension vectors, and the
 * server the application under test embeds with now: the same served model name, 96 dimensions. The earlier run is
 * played with the storage module (write, embed through the embedding cache, add vectors) before the application
 * starts. {@link Postgres} does the same on a fresh PostgreSQL database.
 */
public class OldModelArchive implements QuarkusTestResourceLifecycleManager {
  static final String COLLECTION = "old-notes";
  static final String MODEL = "scripted-embedder";
  static final int OLD_DIMENSION = 64;
  static final int NEW_DIMENSION = 96;
  static final List<String> TEXTS = List.of(
      "Spring tides come twice a month, at new moon and at full moon.",
      "Neap tides are the weakest tides, at the quarter moons.",
      "The trade winds blow steadily from the east across the tropics.");

  static volatile ScriptedEmbeddingServer server;
  private ScriptedEmbeddingServer oldServer;
  private Path dir;
  TestDatabase database;

  /** The backend the earlier run used; the application is configured the same way. */
  protected StorageConfig storage(Path dataDir) {
    return StorageConfig.embedded(dataDir);
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("rag-old-model");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    oldServer = ScriptedEmbeddingServer.start(OLD_DIMENSION);
    server = ScriptedEmbeddingServer.start(NEW_DIMENSION);
    StorageConfig storage = storage(dir);
    Embedder old = new OpenAiCompatibleEmbedder(new OpenAiEmbeddingSettings(oldServer.baseUrl(), MODEL, null, null,
        "", Duration.ofSeconds(30), 4, 0));
    try (Archive archive = ArchiveFactory.open(storage, old.dimension(), old.modelName())) {
      Embedder cached = new CachingEmbedder(old, archive.embeddingCache());
      for (int i = 0; i < TEXTS.size(); i++) {
        Document doc = archive.write(Document.draft(COLLECTION, "notes/note" + i + ".txt", "text/plain", "sha-" + i,
            TEXTS.get(i).length(), null, "en", null, Map.of()), List.of(Chunk.draft(0, TEXTS.get(i),
            TEXTS.get(i).split(" ").length, Provenance.lines(1, 1, null))));
        List<Chunk> chunks = archive.reader().chunks(doc.id());
        List<float[]> vectors = cached.embed(chunks.stream().map(Chunk::text).toList());
        List<EmbeddedChunk> embedded = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
          embedded.add(new EmbeddedChunk(chunks.get(c), vectors.get(c)));
        }
        archive.addVectors(doc, embedded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      oldServer.close();
    }
    Map<String, String> config = new HashMap<>();
    config.put("rag.data-dir", dir.toString());
    config.put("rag.embedding.provider", "openai");
    config.put("rag.embedding.openai.base-url", server.baseUrl());
    config.put("rag.embedding.openai.model", MODEL);
    config.put("rag.embedding.openai.batch-size", "4");
    if (storage.backend() == StorageConfig.Backend.POSTGRES) {
      config.put("rag.storage.backend", "postgres");
      config.put("rag.storage.jdbc-url", storage.jdbcUrl());
      config.put("rag.storage.username", storage.username());
    }
    return config;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
    deleteRecursively(dir);
    if (database != null) {
      try {
        database.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not drop test database " + database.name(), e);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same archive for another test class: Quarkus keeps the application running between test classes with the
   * same test resources, so a class that re-indexes would leave nothing to re-index for the next one.
   */
  public static class Another extends OldModelArchive {}

  /** The same on PostgreSQL + pgvector, in a database of its own. */
  public static class Postgres extends OldModelArchive {
    @Override
    protected StorageConfig storage(Path dataDir) {
      TestDatabase db = TestDatabase.create();
      database = db;
      return StorageConfig.postgres(dataDir, db.jdbcUrl(), db.user(), null);
    }
  }
}
