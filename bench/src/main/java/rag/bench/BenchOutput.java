package rag.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where a benchmark run leaves its files: {@code <results>/<name>-<timestamp>.{md,html,json}}. */
final class BenchOutput {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path base;

  BenchOutput(Path results, String name) throws IOException {
    Files.createDirectories(results);
    this.base = results.resolve(name + "-" + LocalDateTime.now().withNano(0)
        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).replace(':', '-'));
  }

  Path write(String extension, String text) throws IOException {
    Path file = base.resolveSibling(base.getFileName() + "." + extension);
    Files.writeString(file, text);
    return file;
  }

  Path writeJson(Object value) throws IOException {
    return write("json", JSON.writeValueAsString(value));
  }
}
