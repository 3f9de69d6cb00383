package rag.ingest.intake;

import java.nio.file.Path;

/**
 * One uploaded file as the HTTP layer (or the CLI) received it: the name it was sent with, an
 * optional source path prefix, and its bytes in a temporary file that intake copies into the spool.
 * The name and prefix are made safe on the way in ({@link SourcePaths#safeName}), so jobs and documents show
 * only safe names.
 */
public record Upload(String name, String pathPrefix, Path file) {
  public Upload {
    name = SourcePaths.safeName(name);
    pathPrefix = SourcePaths.safeName(pathPrefix);
  }
}
