package rag.eval.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import rag.eval.niah.Haystack;
import rag.eval.niah.PlacedHaystack;
import rag.eval.niah.Segment;
import rag.eval.stack.TextIndexer.TextDocument;
import rag.eval.stack.TextIndexer;
import rag.storage.Archive;
import rag.storage.model.Document;
import rag.storage.model.SearchFilter;

/**
 * A haystack held in an archive as documents, one per segment, in haystack order (source paths
 * {@code haystack/00000000}, {@code haystack/00000001}, ..., so that the planner's source-path order is the
 * haystack's order; the title is the segment's source file).
 *
 * <p>{@link #show(Haystack)} makes the archive hold exactly that haystack, writing only the segments whose text
 * differs from what is indexed: haystacks of different lengths share their leading segments, so a run over
 * lengths in ascending order indexes each segment once. {@link #place(PlacedHaystack)} rewrites just the segments
 * a needle changed (each {@link Archive#write} replaces its document atomically) and {@link #restore()} writes
 * them back.
 */
public final class HaystackIndex {
  /** Documents per {@link TextIndexer#writeAll} call when indexing a haystack: their chunks share embedding batches. */
  private static final int BATCH = 64;

  private final Archive archive;
  private final TextIndexer indexer;
  private final List<String> texts = new ArrayList<>();
  private final List<String> sources = new ArrayList<>();
  private final List<String> documentIds = new ArrayList<>();
  private SortedMap<Integer, String> placed = Collections.emptySortedMap();
  private long writes;

  public HaystackIndex(Archive archive, TextIndexer indexer) {
    this.archive = Objects.requireNonNull(archive, "archive");
    this.indexer = Objects.requireNonNull(indexer, "indexer");
  }

  public SearchFilter scope() {
    return SearchFilter.collection(indexer.collection());
  }

  /** Documents written so far (segments indexed, needles placed and restored). */
  public long writes() {
    return writes;
  }

  /** Segments indexed, which is the number of documents in the scope. */
  public int documents() {
    return texts.size();
  }

  /** Makes the archive hold exactly {@code haystack}, one document per segment, with no needle. */
  public void show(Haystack haystack) {
    restore();
    List<Segment> segments = haystack.segments();
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      String text = segments.get(i).text();
      if (i >= texts.size() || !text.equals(texts.get(i))) {
        changed.add(i);
      }
    }
    write(changed, segments);
    for (int i = texts.size() - 1; i >= segments.size(); i--) {
      archive.delete(documentIds.get(i));
      texts.remove(i);
      sources.remove(i);
      documentIds.remove(i);
      writes++;
    }
  }

  /** Writes the segments {@code haystack} changed; the rest stays as {@link #show} wrote it. */
  public void place(PlacedHaystack haystack) {
    restore();
    if (haystack.segmentCount() != texts.size()) {
      throw new IllegalStateException("the index holds " + texts.size() + " segments, the placed haystack has "
          + haystack.segmentCount() + ": show its haystack first");
    }
    List<TextDocument> docs = new ArrayList<>();
    for (Map.Entry<Integer, String> e : haystack.changedSegments().entrySet()) {
      docs.add(document(e.getKey(), sources.get(e.getKey()), e.getValue()));
    }
    indexer.writeAll(docs);
    writes += docs.size();
    placed = haystack.changedSegments();
  }

  /** Writes back the base text of the segments the last {@link #place} changed. */
  public void restore() {
    if (placed.isEmpty()) {
      return;
    }
    List<TextDocument> docs = new ArrayList<>();
    for (int index : placed.keySet()) {
      docs.add(document(index, sources.get(index), texts.get(index)));
    }
    placed = Collections.emptySortedMap();
    indexer.writeAll(docs);
    writes += docs.size();
  }

  private void write(List<Integer> indexes, List<Segment> segments) {
    List<TextDocument> docs = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      docs.add(document(i, segments.get(i).source(), segments.get(i).text()));
    }
    List<Document> written = new ArrayList<>(docs.size());
    for (int from = 0; from < docs.size(); from += BATCH) {
      written.addAll(indexer.writeAll(docs.subList(from, Math.min(docs.size(), from + BATCH))));
    }
    writes += written.size();
    for (int k = 0; k < indexes.size(); k++) {
      int i = indexes.get(k);
      Segment segment = segments.get(i);
      if (i < texts.size()) {
        texts.set(i, segment.text());
        sources.set(i, segment.source());
        documentIds.set(i, written.get(k).id());
      } else {
        texts.add(segment.text());
        sources.add(segment.source());
        documentIds.add(written.get(k).id());
      }
    }
  }

  private static TextDocument document(int index, String source, String text) {
    return new TextDocument(String.format("haystack/%08d", index), source, text);
  }
}
