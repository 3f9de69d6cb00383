package rag.eval.stack;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.lexical.Bm25Params;

/**
 * An embedded archive (SQLite catalog, Lucene BM25 and HNSW) of its own in a fresh temporary folder, for one
 * evaluation run; {@link #close()} closes it and deletes the folder (unless {@link #keep() kept}). Nothing here
 * touches the service's archive.
 */
public final class ScratchArchive implements Closeable {
  private final Path dir;
  private final Archive archive;
  private boolean keep;

  private ScratchArchive(Path dir, Archive archive) {
    this.dir = dir;
    this.archive = archive;
  }

  /**
   * Opens a scratch archive in a new folder under {@code parent} (the system's temporary folder when null) for
   * vectors of {@code dimension} made by {@code embeddingModel}.
   */
  public static ScratchArchive open(Path parent, int dimension, String embeddingModel) {
    return open(parent, dimension, embeddingModel, Bm25Params.DEFAULT);
  }

  /** As {@link #open(Path, int, String)}, ranking BM25 with these parameters. */
  public static ScratchArchive open(Path parent, int dimension, String embeddingModel, Bm25Params bm25) {
    Path dir;
    try {
      if (parent == null) {
        dir = Files.createTempDirectory("rag-eval-");
      } else {
        Files.createDirectories(parent);
        dir = Files.createTempDirectory(parent, "rag-eval-");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch folder for an evaluation under "
          + (parent == null ? System.getProperty("java.io.tmpdir") : parent), e);
    }
    try {
      return new ScratchArchive(dir, ArchiveFactory.open(new StorageConfig(StorageConfig.Backend.EMBEDDED, dir, null,
          null, null, 4, bm25, null), dimension, embeddingModel));
    } catch (RuntimeException e) {
      delete(dir, e);
      throw e;
    }
  }

  public Archive archive() {
    return archive;
  }

  public Path dir() {
    return dir;
  }

  /** Makes {@link #close()} leave the folder in place, to be opened again (a benchmark reusing what it built). */
  public void keep() {
    keep = true;
  }

  @Override
  public void close() {
    UncheckedIOException failure = null;
    try {
      archive.close();
    } catch (IOException e) {
      failure = new UncheckedIOException("cannot close the scratch archive at " + dir, e);
    } finally {
      if (!keep) {
        delete(dir, failure);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void delete(Path dir, RuntimeException pending) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException("cannot delete the scratch folder " + dir, e);
      if (pending == null) {
        throw failure;
      }
      pending.addSuppressed(failure);
    }
  }
}
