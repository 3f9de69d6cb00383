package rag.ingest.intake;

import java.nio.file.Path;

/**
 * One uploaded file as the HTTP layer (or the CLI) received it: the name it was sent with, an
 * optional source path prefix, and its bytes in a temporary file that intake copies into the spool.
 */
public record Upload(String name, String pathPrefix, Path file) {}
