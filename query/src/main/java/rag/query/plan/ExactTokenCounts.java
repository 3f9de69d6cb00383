package rag.query.plan;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import rag.query.assemble.PromptTokens;
import rag.query.profile.ModelProfile;
import rag.storage.catalog.CatalogReader;
import rag.storage.catalog.TokenCountStore;
import rag.storage.embed.TokenCounters;
import rag.storage.model.Document;

/**
 * The exact counters of the profiles whose {@code tokenizer} names one the service ships (Qwen 3's), by tokenizer.
 * {@code cl100k_base} is not one: it is the tokenizer of the stored counts, not of any served model, so profiles
 * naming it (or an unknown tokenizer) keep estimates, calibrated by the server where it can.
 */
public final class ExactTokenCounts {
  public static final ExactTokenCounts NONE = new ExactTokenCounts(Map.of());

  private final Map<String, PromptTokens> byTokenizer;

  private ExactTokenCounts(Map<String, PromptTokens> byTokenizer) {
    this.byTokenizer = Map.copyOf(byTokenizer);
  }

  public static ExactTokenCounts of(Collection<ModelProfile> profiles, CatalogReader catalog,
      TokenCountStore store) {
    Map<String, PromptTokens> counters = new LinkedHashMap<>();
    for (ModelProfile p : profiles) {
      String name = key(p.tokenizer());
      if (TokenCounters.isKnown(name) && !name.equals(TokenCounters.CL100K) && !counters.containsKey(name)) {
        counters.put(name, new PromptTokens(TokenCounters.named(name), catalog, store));
      }
    }
    return new ExactTokenCounts(counters);
  }

  /** The exact counter of the profile's tokenizer, if it has one. */
  public Optional<PromptTokens> forProfile(ModelProfile profile) {
    return Optional.ofNullable(byTokenizer.get(key(profile.tokenizer())));
  }

  public Collection<PromptTokens> all() {
    return byTokenizer.values();
  }

  /**
   * Counts the published versions not counted yet, for every exact tokenizer, and drops the counts of versions that
   * are gone, so that plans only add stored numbers; returns how many versions were counted from their text.
   */
  public int warm(CatalogReader catalog) {
    if (byTokenizer.isEmpty()) {
      return 0;
    }
    List<Document> published = catalog.allPublished();
    int counted = 0;
    for (PromptTokens tokens : byTokenizer.values()) {
      tokens.purgeOrphans();
      counted += tokens.prepare(published);
    }
    return counted;
  }

  private static String key(String tokenizer) {
    return tokenizer == null ? "" : tokenizer.toLowerCase(Locale.ROOT);
  }
}
