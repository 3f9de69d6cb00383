package rag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import rag.eval.stack.TextIndexer;
import rag.eval.stack.TextIndexer.TextDocument;
import rag.storage.model.Document;

/**
 * The query benchmark's collection: the essays and books of ../shared/corpora written again and again as distinct
 * documents ({@code copy-01/books/...}, {@code copy-01/pg-essays/...}, {@code copy-02/...}) until it holds at least
 * the wanted tokens, through the service's write path ({@link TextIndexer}: the ingest chunker, {@code Archive.write}
 * for the catalog and BM25, then the vectors into Lucene HNSW, one commit per document). The copies repeat their
 * chunk texts, so with a memoizing embedder each distinct text reaches the model once.
 */
final class QueryCollection {
  static final List<String> FOLDERS = List.of("books", "pg-essays");

  /** What was written: copies, documents, chunks, stored tokens, the text's size and the wall time. */
  record Stats(int copies, int documents, long chunks, long tokens, long utf8Bytes, long chars, double seconds) {}

  private QueryCollection() {}

  static Stats build(TextIndexer indexer, Path corpora, long minTokens) throws IOException {
    List<TextDocument> sources = new ArrayList<>();
    for (String folder : FOLDERS) {
      try (Stream<Path> files = Files.list(corpora.resolve(folder))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
          String name = file.getFileName().toString();
          sources.add(new TextDocument(folder + "/" + name, name, Files.readString(file, StandardCharsets.UTF_8)));
        }
      }
    }
    long charsPerCopy = sources.stream().mapToLong(s -> s.text().length()).sum();
    long start = System.nanoTime();
    int copies = 0;
    int documents = 0;
    long chunks = 0;
    long tokens = 0;
    long bytes = 0;
    while (tokens < minTokens) {
      copies++;
      String prefix = copyPrefix(copies);
      List<TextDocument> copy = sources.stream()
          .map(s -> new TextDocument(prefix + s.sourcePath(), s.title(), s.text())).toList();
      for (Document d : indexer.writeAll(copy)) {
        documents++;
        chunks += d.chunkCount();
        tokens += d.tokenCount();
        bytes += d.sizeBytes();
      }
      System.err.printf("copy %d written: %,d documents, %,d chunks, %,d tokens, %.0f s%n", copies, documents, chunks,
          tokens, (System.nanoTime() - start) / 1e9);
    }
    return new Stats(copies, documents, chunks, tokens, bytes, charsPerCopy * copies,
        (System.nanoTime() - start) / 1e9);
  }

  /** The stats of a collection built earlier (no build time), from its documents and their text's chars. */
  static Stats stats(List<Document> documents, long chars) {
    return new Stats((int) documents.stream().map(d -> d.sourcePath().substring(0, d.sourcePath().indexOf('/')))
        .distinct().count(), documents.size(), documents.stream().mapToLong(Document::chunkCount).sum(),
        documents.stream().mapToLong(Document::tokenCount).sum(),
        documents.stream().mapToLong(Document::sizeBytes).sum(), chars, 0);
  }

  /** The source path prefix of one copy, e.g. {@code copy-01/}. */
  static String copyPrefix(int copy) {
    return String.format("copy-%02d/", copy);
  }
}
