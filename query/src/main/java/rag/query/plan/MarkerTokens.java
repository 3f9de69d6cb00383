package rag.query.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import rag.query.assemble.PromptLayout;
import rag.storage.catalog.CatalogReader;
import rag.storage.embed.TokenCounter;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/**
 * The tokens of the citation markers a document's chunks get in a prompt ({@code [C12 | page 3]},
 * with a speaker or a symbol where there is one), counted exactly from the chunks' stored provenance
 * (never their text) and cached per document version, which never changes. Numbers are counted at
 * their widest, so a count bounds the marker at any position in any prompt.
 */
final class MarkerTokens {
  /** Wider than any citation number: a prompt would need ten million chunks to reach it. */
  private static final int WIDEST_NUMBER = 9_999_999;
  private static final int CACHED_VERSIONS = 100_000;

  private final CatalogReader catalog;
  private final TokenCounter counter;
  private final Map<String, Long> byVersion = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > CACHED_VERSIONS;
    }
  };

  MarkerTokens(CatalogReader catalog, TokenCounter counter) {
    this.catalog = catalog;
    this.counter = counter;
  }

  /** All markers of the document's version; read once per version (two planners racing may both read it). */
  long of(Document d) {
    String key = ChunkId.versionKey(d.id(), d.version());
    synchronized (byVersion) {
      Long cached = byVersion.get(key);
      if (cached != null) {
        return cached;
      }
    }
    long sum = 0;
    for (Provenance p : catalog.provenances(d.id(), d.version())) {
      sum += of(p);
    }
    synchronized (byVersion) {
      byVersion.put(key, sum);
    }
    return sum;
  }

  /** One marker. */
  long of(Provenance p) {
    return counter.count(PromptLayout.marker(WIDEST_NUMBER, p));
  }
}
