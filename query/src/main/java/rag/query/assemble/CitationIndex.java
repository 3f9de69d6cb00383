package rag.query.assemble;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import rag.query.plan.Mode;
import rag.query.plan.Plan;
import rag.query.retrieve.Passage;
import rag.storage.catalog.CatalogReader;
import rag.storage.model.Chunk;
import rag.storage.model.Document;

/**
 * Resolves the citation ids of a plan's prompt ({@code C1}, {@code C2}, ...) to their text. In a
 * stuffed prompt every chunk of every document has an id, numbered in prompt order, so the index
 * holds only each document's first number and reads a chunk when it is cited. In a retrieval
 * prompt each passage has an id, in prompt order.
 */
public final class CitationIndex {
  private final CatalogReader catalog;
  private final List<Document> documents;
  private final long[] firstNumber; // stuff: the id of each document's first chunk
  private final List<Passage> passages; // retrieve
  private final Map<String, Document> byId = new HashMap<>();
  private final Map<String, List<Chunk>> chunkCache = new HashMap<>();

  private CitationIndex(CatalogReader catalog, Plan plan) {
    this.catalog = catalog;
    this.documents = plan.documents();
    documents.forEach(d -> byId.put(d.id(), d));
    if (plan.mode() == Mode.STUFF) {
      firstNumber = new long[documents.size()];
      long next = 1;
      for (int i = 0; i < documents.size(); i++) {
        firstNumber[i] = next;
        next += documents.get(i).chunkCount();
      }
      passages = List.of();
    } else {
      firstNumber = null;
      passages = plan.passages();
    }
  }

  public static CitationIndex of(CatalogReader catalog, Plan plan) {
    return new CitationIndex(catalog, plan);
  }

  public boolean isStuffed() {
    return firstNumber != null;
  }

  /** The number a chunk has in a stuffed prompt, if its document is in it. */
  public Optional<Integer> numberOf(Chunk chunk) {
    if (firstNumber == null) {
      for (int i = 0; i < passages.size(); i++) {
        if (passages.get(i).chunkIds().contains(chunk.id())) {
          return Optional.of(i + 1);
        }
      }
      return Optional.empty();
    }
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      if (d.id().equals(chunk.documentId()) && d.version() == chunk.version()) {
        return Optional.of((int) (firstNumber[i] + chunk.ordinal()));
      }
    }
    return Optional.empty();
  }

  /** The cited text for an id, or empty for an id the prompt does not have. */
  public synchronized Optional<Cited> resolve(int number) {
    if (number < 1) {
      return Optional.empty();
    }
    if (firstNumber == null) {
      if (number > passages.size()) {
        return Optional.empty();
      }
      Passage p = passages.get(number - 1);
      return Optional.of(new Cited(number, byId.get(p.documentId()), p.provenance(), p.text(), p.score()));
    }
    int doc = documentOf(number);
    if (doc < 0) {
      return Optional.empty();
    }
    Document d = documents.get(doc);
    int ordinal = (int) (number - firstNumber[doc]);
    List<Chunk> chunks = chunkCache.computeIfAbsent(d.id(), id -> catalog.chunks(id, d.version()));
    if (ordinal >= chunks.size()) {
      return Optional.empty(); // replaced since the plan was made
    }
    Chunk c = chunks.get(ordinal);
    return Optional.of(new Cited(number, d, c.provenance(), c.text(), 0));
  }

  /** All ids of a retrieval prompt, in order (empty for a stuffed prompt, whose ids are resolved on demand). */
  public List<Cited> passages() {
    List<Cited> all = new ArrayList<>();
    for (int i = 1; firstNumber == null && i <= passages.size(); i++) {
      all.add(resolve(i).orElseThrow());
    }
    return all;
  }

  private int documentOf(long number) {
    int lo = 0;
    int hi = documents.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (firstNumber[mid] <= number) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || number >= firstNumber[found] + documents.get(found).chunkCount()) {
      return -1;
    }
    return found;
  }
}
