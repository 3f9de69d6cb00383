package rag.query.retrieve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import rag.storage.model.Chunk;
import rag.storage.model.Provenance;

/** Turns chosen chunks into passages: grouped by document, in position order, neighbours merged. */
public final class Passages {
  private Passages() {}

  /**
   * Merges chunks with consecutive ordinals of the same document version; the result is ordered by
   * {@code documentOrder} (document ids, first appearance wins), then by position in the document.
   */
  public static List<Passage> inDocumentOrder(List<FusedChunk> chosen, List<String> documentOrder) {
    List<FusedChunk> sorted = new ArrayList<>(chosen);
    sorted.sort(Comparator.<FusedChunk>comparingInt(f -> rank(documentOrder, f.chunk().documentId()))
        .thenComparing(f -> f.chunk().documentId()).thenComparingInt(f -> f.chunk().ordinal()));
    List<Passage> passages = new ArrayList<>();
    List<FusedChunk> run = new ArrayList<>();
    for (FusedChunk f : sorted) {
      if (!run.isEmpty() && !continues(run.get(run.size() - 1).chunk(), f.chunk())) {
        passages.add(merge(run));
        run.clear();
      }
      run.add(f);
    }
    if (!run.isEmpty()) {
      passages.add(merge(run));
    }
    return passages;
  }

  /** One chunk as a passage of its own, its whole text (with the overlap). */
  public static Passage of(Chunk chunk, double score) {
    return new Passage(chunk.documentId(), chunk.version(), chunk.ordinal(), chunk.ordinal(), List.of(chunk.id()),
        chunk.text(), chunk.tokenCount(), chunk.provenance(), score);
  }

  private static int rank(List<String> order, String documentId) {
    int i = order.indexOf(documentId);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static boolean continues(Chunk previous, Chunk next) {
    return previous.documentId().equals(next.documentId()) && previous.version() == next.version()
        && next.ordinal() == previous.ordinal() + 1;
  }

  private static Passage merge(List<FusedChunk> run) {
    Chunk first = run.get(0).chunk();
    StringBuilder text = new StringBuilder(first.text());
    int tokens = first.tokenCount();
    double score = run.get(0).score();
    List<String> ids = new ArrayList<>();
    ids.add(first.id());
    Provenance provenance = first.provenance();
    for (FusedChunk f : run.subList(1, run.size())) {
      Chunk c = f.chunk();
      text.append('\n').append(c.newText());
      tokens += c.newTokens();
      score = Math.max(score, f.score());
      ids.add(c.id());
      provenance = span(provenance, c.provenance());
    }
    Chunk last = run.get(run.size() - 1).chunk();
    return new Passage(first.documentId(), first.version(), first.ordinal(), last.ordinal(), ids, text.toString(),
        tokens, provenance, score);
  }

  /** The provenance covering both, {@code a} before {@code b}. */
  static Provenance span(Provenance a, Provenance b) {
    return new Provenance(min(a.pageStart(), b.pageStart()), max(a.pageEnd(), b.pageEnd()),
        min(a.lineStart(), b.lineStart()), max(a.lineEnd(), b.lineEnd()), min(a.startMs(), b.startMs()),
        max(a.endMs(), b.endMs()), Objects.equals(a.speaker(), b.speaker()) ? a.speaker() : null,
        a.section() != null ? a.section() : b.section());
  }

  private static <T extends Comparable<T>> T min(T a, T b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  private static <T extends Comparable<T>> T max(T a, T b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
