package rag.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parses every fixture from several threads at once with one shared parser, as Tika's
 * MultiThreadedTikaTest does, and expects exactly the results of a parse on one thread.
 */
class ConcurrentParsingTest {
  private static final int THREADS = 4;
  private static final int ROUNDS = 3;

  @Test
  void oneParserGivesTheSameResultsOnManyThreads() throws Exception {
    List<String> fixtures = fixtures();
    Map<String, String> expected = new LinkedHashMap<>();
    for (String fixture : fixtures) {
      expected.put(fixture, outcome(fixture));
    }
    List<String> work = new ArrayList<>();
    for (int round = 0; round < ROUNDS * THREADS; round++) {
      work.addAll(fixtures);
    }
    Collections.shuffle(work, new Random(7));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<String[]>> results = new ArrayList<>();
      for (String fixture : work) {
        results.add(pool.submit(() -> new String[] {fixture, outcome(fixture)}));
      }
      for (Future<String[]> result : results) {
        String[] pair = result.get();
        assertThat(pair[1]).as(pair[0]).isEqualTo(expected.get(pair[0]));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every section and warning, or the failure's kind and detail. */
  private static String outcome(String fixture) {
    try {
      ParsedDocument document = Fixtures.parse(fixture);
      return document.mediaType() + document.sections() + document.warnings() + document.title();
    } catch (ParseFailure failure) {
      return failure.kind() + ": " + failure.getMessage();
    }
  }

  /** Every fixture but the images, whose OCR (when Tesseract is installed) would dominate the run. */
  private static List<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.path("empty.txt").getParent())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".expected.json"))
          .filter(n -> !n.startsWith("scanned-") && !n.startsWith("photo-")).sorted().toList();
    }
  }
}
