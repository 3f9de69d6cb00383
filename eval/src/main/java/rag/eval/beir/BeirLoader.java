package rag.eval.beir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a dataset in the BEIR layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}) or several
 * {@code corpus*.jsonl} parts read in natural name order ({@code part2} before {@code part10}), {@code queries.jsonl}
 * ({@code _id}, {@code text}) and {@code qrels/<split>.tsv} (header {@code query-id corpus-id score}, tab-separated).
 * Files are UTF-8 with LF or CRLF line ends and an optional byte-order mark.
 */
public final class BeirLoader {
  private static final Pattern CORPUS_PART = Pattern.compile("corpus.*\\.jsonl");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private BeirLoader() {}

  public static BeirDataset load(Path folder) {
    return load(folder, "test");
  }

  public static BeirDataset load(Path folder, String split) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("BEIR folder does not exist or is not a folder: " + folder);
    }
    Qrels qrels = readQrels(existing(folder.resolve("qrels").resolve(split + ".tsv")));
    List<BeirQuery> queries = readQueries(existing(folder.resolve("queries.jsonl")), qrels.queryIds());
    List<BeirDocument> corpus = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Path part : corpusParts(folder)) {
      JsonLines.forEach(part, node -> {
        BeirDocument doc = new BeirDocument(JsonLines.required(node, "_id"), JsonLines.optional(node, "title"),
            JsonLines.optional(node, "text"));
        if (!ids.add(doc.id())) {
          throw new IllegalArgumentException("document id '" + doc.id() + "' appears twice in the corpus");
        }
        corpus.add(doc);
      });
    }
    return new BeirDataset(folder.getFileName().toString(), split, corpus, queries, qrels);
  }

  private static Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BeirFormatException("BEIR file missing: " + file);
    }
    return file;
  }

  static List<Path> corpusParts(Path folder) {
    List<Path> parts;
    try (Stream<Path> files = Files.list(folder)) {
      parts = files.filter(p -> Files.isRegularFile(p) && CORPUS_PART.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing(p -> naturalKey(p.getFileName().toString()))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list BEIR folder " + folder, e);
    }
    if (parts.isEmpty()) {
      throw new BeirFormatException("no corpus.jsonl or corpus*.jsonl in " + folder);
    }
    return parts;
  }

  /** Pads every run of digits to 20 places so that string order is natural order. */
  static String naturalKey(String name) {
    Matcher digits = DIGITS.matcher(name);
    StringBuilder key = new StringBuilder();
    while (digits.find()) {
      digits.appendReplacement(key, "0".repeat(Math.max(0, 20 - digits.group().length())) + digits.group());
    }
    digits.appendTail(key);
    return key.toString();
  }

  private static List<BeirQuery> readQueries(Path file, Set<String> judged) {
    Map<String, BeirQuery> byId = new LinkedHashMap<>();
    JsonLines.forEach(file, node -> {
      String id = JsonLines.required(node, "_id");
      if (judged.contains(id)) {
        byId.put(id, new BeirQuery(id, JsonLines.required(node, "text")));
      }
    });
    List<String> missing = judged.stream().filter(id -> !byId.containsKey(id)).limit(5).toList();
    if (!missing.isEmpty()) {
      throw new BeirFormatException(file + " lacks queries that the qrels judge, for example " + missing);
    }
    return List.copyOf(byId.values());
  }

  static Qrels readQrels(Path file) {
    Map<String, Map<String, Integer>> byQuery = new LinkedHashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank() || (number == 1 && line.startsWith("query-id"))) {
          continue;
        }
        String[] fields = line.strip().split("\t");
        if (fields.length != 3) {
          throw new BeirFormatException(file, number, "expected 3 tab-separated fields (query-id, corpus-id, "
              + "score), got " + fields.length);
        }
        int grade;
        try {
          grade = Integer.parseInt(fields[2].strip());
        } catch (NumberFormatException e) {
          throw new BeirFormatException(file, number, "score '" + fields[2] + "' is not an integer");
        }
        byQuery.computeIfAbsent(fields[0].strip(), q -> new LinkedHashMap<>()).put(fields[1].strip(), grade);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read qrels " + file, e);
    }
    return new Qrels(byQuery);
  }
}
