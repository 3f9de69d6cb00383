package rag.storage.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;

/**
 * Each generation in its own Lucene HNSW index folder, {@code <data-dir>/vectors-<id>}. The folder {@code vectors}
 * of archives from before generations becomes {@code vectors-1}.
 */
public final class LuceneGenerationStores implements GenerationStores {
  private static final String UNVERSIONED = "vectors";

  private final Path dataDir;
  private final HnswParams hnsw;

  public LuceneGenerationStores(Path dataDir, HnswParams hnsw) {
    this.dataDir = dataDir;
    this.hnsw = hnsw;
  }

  /** The folder of a generation's index. */
  public Path folder(VectorGeneration generation) {
    return dataDir.resolve("vectors-" + generation.id());
  }

  @Override
  public Optional<VectorGeneration> unversioned() {
    Path path = dataDir.resolve(UNVERSIONED);
    if (!Files.isDirectory(path)) {
      return Optional.empty();
    }
    try (FSDirectory directory = FSDirectory.open(path)) {
      if (!DirectoryReader.indexExists(directory)) {
        return Optional.empty();
      }
      Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
      String dimension = data.get(LuceneHnswVectorStore.DIMENSION_KEY);
      String model = data.get(LuceneHnswVectorStore.MODEL_KEY);
      return dimension == null || model == null ? Optional.empty()
          : Optional.of(new VectorGeneration(1, model, Integer.parseInt(dimension)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the vector index at " + path, e);
    }
  }

  @Override
  public VectorStore open(VectorGeneration generation) {
    Path folder = folder(generation);
    if (!Files.exists(folder) && unversioned().filter(generation::equals).isPresent()) {
      try {
        Files.move(dataDir.resolve(UNVERSIONED), folder, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move the vector index " + dataDir.resolve(UNVERSIONED) + " to "
            + folder, e);
      }
    }
    return new LuceneHnswVectorStore(folder, generation.dimension(), generation.model(), hnsw);
  }

  @Override
  public void drop(VectorGeneration generation) {
    Path folder = folder(generation);
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the vector index " + folder, e);
    }
  }
}
