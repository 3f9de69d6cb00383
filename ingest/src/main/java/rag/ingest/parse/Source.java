package rag.ingest.parse;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file to parse: its bytes already on disk (spooled), and the source path it is known by in its
 * collection (used for the file name hint in type detection and for code language detection).
 */
public record Source(String sourcePath, Path file, long sizeBytes) {
  public Source {
    Objects.requireNonNull(sourcePath, "sourcePath");
    Objects.requireNonNull(file, "file");
  }

  public String fileName() {
    int slash = sourcePath.lastIndexOf('/');
    return slash < 0 ? sourcePath : sourcePath.substring(slash + 1);
  }
}
