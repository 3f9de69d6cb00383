package rag.storage.vector;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LuceneHnswVectorStoreTest extends VectorStoreContract {
  @TempDir
  Path dir;

  @Override
  protected VectorStore open(int dimension, String model) {
    return new LuceneHnswVectorStore(dir, dimension, model, HnswParams.DEFAULT);
  }
}
