package rag.eval.niah;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * What one NIAH run hides and asks: the target needles the answer must contain, the distractors (only for
 * {@link NeedleVariant#MULTI_KEY}), and the question. {@link #depths(double)} says where each goes.
 */
public record NeedleSet(NeedleVariant variant, String question, List<Needle> targets, List<Needle> distractors) {
  public static final String DEFAULT_NEEDLE =
      "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.";
  public static final String DEFAULT_QUESTION = "What is the best thing to do in San Francisco?";

  private static final String[] KEY_ADJECTIVES = {"amber", "brisk", "cobalt", "dusky", "eager", "fallow", "gilded",
      "hollow", "ivory", "jolly", "keen", "lunar", "mellow", "nimble", "oaken", "placid", "quiet", "russet", "silver",
      "tawny", "umber", "velvet", "wary", "zesty"};
  private static final String[] KEY_NOUNS = {"anchor", "badger", "candle", "delta", "ember", "falcon", "garnet",
      "harbor", "island", "juniper", "kettle", "lantern", "meadow", "nutmeg", "orchid", "pebble", "quarry", "raven",
      "saddle", "thistle", "walrus", "willow", "yarrow", "zephyr"};

  public NeedleSet {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(question, "question");
    targets = List.copyOf(targets);
    distractors = List.copyOf(distractors);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a needle set needs at least one target needle");
    }
    if (variant != NeedleVariant.MULTI && targets.size() != 1) {
      throw new IllegalArgumentException(variant + " takes exactly one target needle, got " + targets.size());
    }
    if (variant != NeedleVariant.MULTI_KEY && !distractors.isEmpty()) {
      throw new IllegalArgumentException("only MULTI_KEY takes distractors, " + variant + " got " + distractors.size());
    }
  }

  public static NeedleSet single(Needle needle, String question) {
    return new NeedleSet(NeedleVariant.SINGLE, question, List.of(needle), List.of());
  }

  /** The original harness's needle and question; the answer to look for is the clause after "is". */
  public static NeedleSet defaultSingle() {
    return single(new Needle(DEFAULT_NEEDLE, "eat a sandwich and sit in Dolores Park on a sunny day"),
        DEFAULT_QUESTION);
  }

  public static NeedleSet multi(List<Needle> needles, String question) {
    return new NeedleSet(NeedleVariant.MULTI, question, needles, List.of());
  }

  /** The original harness's multi-needle default: three pizza ingredients. */
  public static NeedleSet defaultMulti() {
    String rest = " one of the secret ingredients needed to build the perfect pizza.";
    return multi(List.of(new Needle("Figs are" + rest, "Figs"), new Needle("Prosciutto is" + rest, "Prosciutto"),
        new Needle("Goat cheese is" + rest, "Goat cheese")),
        "What are the secret ingredients needed to build the perfect pizza?");
  }

  /**
   * A RULER-style multi-key set: "The special magic number for {key} is {value}." for 1 + {@code distractors} keys
   * (random "adjective-noun" keys, seven-digit values, all distinct), asking for the first key's number.
   */
  public static NeedleSet multiKey(int distractors, long seed) {
    int maxKeys = KEY_ADJECTIVES.length * KEY_NOUNS.length;
    if (distractors < 0 || distractors >= maxKeys) {
      throw new IllegalArgumentException("illegal distractor count " + distractors + ", must be in [0, "
          + (maxKeys - 1) + "]");
    }
    Random random = new Random(seed);
    Set<String> keys = new LinkedHashSet<>();
    while (keys.size() < distractors + 1) {
      keys.add(KEY_ADJECTIVES[random.nextInt(KEY_ADJECTIVES.length)] + "-"
          + KEY_NOUNS[random.nextInt(KEY_NOUNS.length)]);
    }
    Set<Integer> values = new LinkedHashSet<>();
    while (values.size() < keys.size()) {
      values.add(1_000_000 + random.nextInt(9_000_000));
    }
    List<Needle> needles = new ArrayList<>();
    var valueIterator = values.iterator();
    for (String key : keys) {
      String value = String.valueOf(valueIterator.next());
      needles.add(new Needle("The special magic number for " + key + " is " + value + ".", value));
    }
    String key = keys.iterator().next();
    return new NeedleSet(NeedleVariant.MULTI_KEY, "What is the special magic number for " + key + "?",
        needles.subList(0, 1), needles.subList(1, needles.size()));
  }

  /**
   * Depths of the targets then the distractors, for a run at {@code depthPercent}: target {@code i} of {@code n} at
   * {@code d + i * (100 - d) / n} (as the original harness spreads multiple needles); distractor {@code j} of
   * {@code k} at {@code (d + (j + 1) * 100 / (k + 1)) mod 100}, evenly spread around the haystack from the target.
   */
  public List<Double> depths(double depthPercent) {
    List<Double> depths = new ArrayList<>();
    int n = targets.size();
    for (int i = 0; i < n; i++) {
      depths.add(depthPercent + i * (100 - depthPercent) / n);
    }
    int k = distractors.size();
    for (int j = 0; j < k; j++) {
      depths.add((depthPercent + (j + 1) * 100.0 / (k + 1)) % 100.0);
    }
    return depths;
  }

  /** Targets then distractors, in the order of {@link #depths(double)}. */
  public List<Needle> needles() {
    List<Needle> all = new ArrayList<>(targets);
    all.addAll(distractors);
    return all;
  }
}
