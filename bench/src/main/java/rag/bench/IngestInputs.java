package rag.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The benchmark's input: one folder per format under {@code root} holding copies of the corpus files
 * (so that our pipeline and Easy RAG read exactly the same files), and the 10 MB text upload.
 */
final class IngestInputs {
  /** A format: its name, where its files come from, and which files count. */
  record Format(String name, Path from, Predicate<Path> accepts) {}

  private IngestInputs() {}

  static List<Format> formats(Path corpora, Path code) {
    return List.of(
        new Format("pdf", corpora.resolve("pdfs"), p -> p.toString().endsWith(".pdf")),
        new Format("transcript", corpora.resolve("transcripts"),
            p -> p.toString().endsWith(".srt") || p.toString().endsWith(".vtt")),
        new Format("essay", corpora.resolve("pg-essays"), p -> p.toString().endsWith(".txt")),
        new Format("code", code, p -> p.toString().endsWith(".java")),
        new Format("book", corpora.resolve("books"), p -> p.toString().endsWith(".txt")));
  }

  /**
   * Copies each chosen format's files to {@code root/<format>/} (relative paths kept) and returns the
   * folders by format. Quick mode takes the {@code quickFiles} smallest files of each format.
   */
  static Map<String, Path> prepare(List<Format> formats, Path root, int quickFiles) throws IOException {
    StorageBenchmark.deleteTree(root);
    Map<String, Path> folders = new LinkedHashMap<>();
    for (Format f : formats) {
      if (!Files.isDirectory(f.from())) {
        throw new IllegalArgumentException("the " + f.name() + " files should be in " + f.from()
            + ", which is not a directory");
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(f.from())) {
        files = walk.filter(Files::isRegularFile).filter(f.accepts()).sorted().toList();
      }
      if (quickFiles > 0) {
        files = files.stream().sorted(Comparator.comparingLong(IngestInputs::size)).limit(quickFiles).toList();
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no " + f.name() + " files in " + f.from());
      }
      Path folder = root.resolve(f.name());
      for (Path file : files) {
        Path target = folder.resolve(f.from().relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
      folders.put(f.name(), folder);
    }
    return folders;
  }

  /**
   * A text file of exactly {@code bytes} bytes (cut at a line end, padded with spaces) of distinct real
   * prose: the two books, the essays, then SciFact abstracts. No passage repeats, so the embedding
   * cache cannot shortcut any chunk. Returns the last line, to check that the file is searchable.
   */
  static String uploadText(Path corpora, long bytes, Path out) throws IOException {
    List<String> parts = new ArrayList<>();
    for (String folder : List.of("books", "pg-essays")) {
      try (Stream<Path> files = Files.list(corpora.resolve(folder))) {
        for (Path p : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
          parts.add(Files.readString(p, StandardCharsets.UTF_8).replace("\uFEFF", ""));
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    StringBuilder abstracts = new StringBuilder();
    List<Path> corpusParts;
    try (Stream<Path> files = Files.list(corpora.resolve("scifact"))) {
      corpusParts = files.filter(p -> p.getFileName().toString().startsWith("corpus")).sorted().toList();
    }
    for (Path part : corpusParts) {
      for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode doc = json.readTree(line);
          abstracts.append(doc.path("title").asText()).append(".\n").append(doc.path("text").asText()).append("\n\n");
        }
      }
    }
    parts.add(abstracts.toString());
    StringBuilder text = new StringBuilder();
    long length = 0;
    String lastLine = null;
    outer:
    for (String part : parts) {
      for (String line : part.split("\n", -1)) {
        int lineBytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (length + lineBytes > bytes) {
          break outer;
        }
        length += lineBytes;
        text.append(line).append('\n');
        if (!line.isBlank()) {
          lastLine = line;
        }
      }
    }
    byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
    if (utf8.length > bytes) {
      throw new IllegalStateException("the upload text has " + utf8.length + " bytes, more than " + bytes);
    }
    byte[] padded = Arrays.copyOf(utf8, (int) bytes);
    Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
    Files.createDirectories(out.getParent());
    Files.write(out, padded);
    return lastLine;
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
