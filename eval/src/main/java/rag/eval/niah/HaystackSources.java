package rag.eval.niah;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Chunk;
import rag.storage.model.Document;
import rag.storage.problem.InvalidInputException;

/**
 * Where haystack text comes from: a folder of {@code .txt} files (read as UTF-8 in file-name order), the documents
 * of a collection in the archive (their chunk texts from the catalog, overlaps removed, in source-path order), or
 * the default haystack shipped with this module (the first twenty chapters of Melville's <i>Moby-Dick</i>, public
 * domain).
 */
public final class HaystackSources {
  public static final String DEFAULT_NAME = "moby-dick-1-20";
  private static final String DEFAULT_FOLDER = "/rag/eval/niah/haystack/";
  private static final int PAGE = 500;

  private HaystackSources() {}

  public static List<SourceText> fromFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("haystack folder does not exist or is not a folder: " + folder);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list haystack folder " + folder, e);
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("haystack folder has no .txt files: " + folder);
    }
    List<SourceText> texts = new ArrayList<>();
    for (Path file : files) {
      try {
        texts.add(new SourceText(file.getFileName().toString(), withoutBom(Files.readString(file))));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read haystack file " + file, e);
      }
    }
    return texts;
  }

  /**
   * The published documents of {@code collection}, each as the text of its chunks with the overlaps removed, in
   * source-path order. Documents without chunks are skipped.
   */
  public static List<SourceText> fromCollection(CatalogReader catalog, String collection) {
    if (catalog.collection(collection).isEmpty()) {
      throw new InvalidInputException("there is no collection '" + collection + "'");
    }
    List<SourceText> texts = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      List<Document> page = catalog.list(collection, offset, PAGE);
      for (Document document : page) {
        StringBuilder text = new StringBuilder();
        for (Chunk chunk : catalog.chunks(document.id(), document.version())) {
          text.append(text.isEmpty() ? chunk.text() : "\n" + chunk.newText());
        }
        if (!text.isEmpty()) {
          texts.add(new SourceText(document.sourcePath(), text.toString()));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    if (texts.isEmpty()) {
      throw new InvalidInputException("collection '" + collection + "' holds no text");
    }
    return texts;
  }

  /** The default haystack, about 205 KB of text (roughly 47K cl100k tokens); longer haystacks repeat it. */
  public static List<SourceText> defaultHaystack() {
    List<SourceText> texts = new ArrayList<>();
    for (String name : resource("files.txt").split("\n")) {
      if (!name.isBlank()) {
        texts.add(new SourceText(name.strip(), resource(name.strip())));
      }
    }
    return texts;
  }

  private static String resource(String name) {
    try (InputStream in = HaystackSources.class.getResourceAsStream(DEFAULT_FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException("default haystack resource missing: " + DEFAULT_FOLDER + name);
      }
      return withoutBom(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read default haystack resource " + name, e);
    }
  }

  static String withoutBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
