package rag.eval.beir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Reads a file of one JSON object per line (UTF-8, LF or CRLF, optional byte-order mark, blank lines skipped). */
final class JsonLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  static void forEach(Path file, Consumer<JsonNode> action) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new BeirFormatException(file, number, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
          throw new BeirFormatException(file, number, "expected a JSON object");
        }
        try {
          action.accept(node);
        } catch (IllegalArgumentException e) {
          throw new BeirFormatException(file, number, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A required string field; numbers are accepted and turned into their text. */
  static String required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || !value.isValueNode()) {
      throw new IllegalArgumentException("missing or non-text field '" + field + "'");
    }
    return value.asText();
  }

  static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
