package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real text from ../shared/corpora (books, essays, SciFact abstracts, transcripts), cut into chunks
 * of about {@code chunkBytes} that start at sentence boundaries. To get more chunks than the text
 * holds at that size, chunk starts are spaced more closely (overlapping windows), which keeps every
 * chunk distinct.
 */
final class CorpusText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CorpusText() {}

  /** One list of sentences per source text. */
  static List<List<String>> sources(Path corpora) {
    List<List<String>> sources = new ArrayList<>();
    for (String folder : List.of("books", "pg-essays")) {
      for (Path file : list(corpora.resolve(folder), ".txt")) {
        sources.add(sentences(read(file)));
      }
    }
    for (Path file : list(corpora.resolve("scifact"), ".jsonl")) {
      if (!file.getFileName().toString().startsWith("corpus")) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (String line : read(file).split("\n")) {
        if (!line.isBlank()) {
          JsonNode doc = readJson(line);
          text.append(doc.path("title").asText()).append(". ").append(doc.path("text").asText()).append('\n');
        }
      }
      sources.add(sentences(text.toString()));
    }
    for (Path file : list(corpora.resolve("transcripts"), ".srt")) {
      if (!file.getFileName().toString().contains("english")) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (String line : read(file).split("\r?\n")) {
        if (!line.isBlank() && !line.matches("\\d+") && !line.contains("-->")) {
          text.append(line).append(' ');
        }
      }
      sources.add(sentences(text.toString()));
    }
    return sources;
  }

  static List<String> queries(Path corpora, int max) {
    List<String> queries = new ArrayList<>();
    for (String line : read(corpora.resolve("scifact/queries.jsonl")).split("\n")) {
      if (!line.isBlank() && queries.size() < max) {
        queries.add(readJson(line).path("text").asText());
      }
    }
    return queries;
  }

  /** {@code count} distinct chunks of about {@code chunkBytes}, grouped by source, in source order. */
  static List<String> chunks(List<List<String>> sources, int count, int chunkBytes) {
    long totalSentences = sources.stream().mapToLong(List::size).sum();
    double stride = Math.max(1.0, totalSentences / (double) count);
    List<String> chunks = new ArrayList<>(count);
    double position = 0;
    while (chunks.size() < count) {
      for (List<String> sentences : sources) {
        for (double s = position; s < sentences.size() && chunks.size() < count; s += stride) {
          StringBuilder chunk = new StringBuilder();
          for (int i = (int) s; i < sentences.size() && chunk.length() < chunkBytes; i++) {
            chunk.append(sentences.get(i)).append(' ');
          }
          chunks.add(chunk.toString().strip());
        }
      }
      position += 0.5; // a second pass (only for tiny corpora) starts between the first pass's chunks
    }
    return chunks;
  }

  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.replace('\n', ' ').split("(?<=[.!?])\\s+")) {
      String t = s.strip();
      if (t.length() > 1) {
        out.add(t);
      }
    }
    return out;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static JsonNode readJson(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
