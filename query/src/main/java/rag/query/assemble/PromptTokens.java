package rag.query.assemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rag.query.generate.PromptMessage;
import rag.storage.catalog.CatalogReader;
import rag.storage.catalog.TokenCountStore;
import rag.storage.catalog.TokenCountStore.Counts;
import rag.storage.embed.HuggingFaceTokenCounter;
import rag.storage.embed.TokenCounter;
import rag.storage.model.Chunk;
import rag.storage.model.ChunkId;
import rag.storage.model.Document;
import rag.storage.model.Provenance;

/**
 * Exact prompt token counts with a model's own tokenizer, for prompts sent through the ChatML template (Qwen's):
 * {@code <|im_start|>role\n content <|im_end|>\n} per message, then {@code <|im_start|>assistant\n}.
 *
 * <p>A stuffed prompt is counted without being written: every part of it (contents line, document block, the
 * instructions and question) starts right after a line break and with a character that is not white space, where
 * the tokenizer's pre-tokens always split ({@link HuggingFaceTokenCounter#isStableCut}), so the prompt's count is
 * the sum of its parts' counts. A document's parts are counted once per version at the first place of a prompt
 * (label D1, citations from C1) and stored ({@link TokenCountStore}); elsewhere they differ only in the digits of
 * their labels and citation numbers, and this tokenizer gives every digit a token of its own, so the count at any
 * place is the stored one plus the extra digits. Counting a 10M-token scope is then arithmetic over stored numbers.
 */
public final class PromptTokens {
  /** Names the prompt layout the stored counts were made with: a digest of the layout applied to a sample. */
  public static final String LAYOUT = layoutDigest();

  private static final String START = "<|im_start|>";
  private static final String END = "<|im_end|>\n";
  private static final String ANSWER_PROMPT = START + "assistant\n";
  private static final int CACHED_VERSIONS = 200_000;

  private final TokenCounter counter;
  private final CatalogReader catalog;
  private final TokenCountStore store;
  private final long systemAndTemplate;
  private final long contentsHeading;
  private final Map<String, Counts> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Counts> eldest) {
      return size() > CACHED_VERSIONS;
    }
  };

  /**
   * @throws IllegalArgumentException when {@code counter} groups digits or does not know ChatML's special tokens: its
   *     counts could not be shifted between places, or the template would be miscounted
   */
  public PromptTokens(TokenCounter counter, CatalogReader catalog, TokenCountStore store) {
    if (counter.count("1234567") != 7 || counter.count("D1234") != 5 || counter.count(START) != 1) {
      throw new IllegalArgumentException("the " + counter.name() + " tokenizer groups digits or lacks ChatML's"
          + " special tokens: stuffed prompts cannot be counted exactly with it");
    }
    this.counter = counter;
    this.catalog = catalog;
    this.store = store;
    this.systemAndTemplate = counter.count(message("system", PromptLayout.SYSTEM) + message("user", "")
        + ANSWER_PROMPT);
    this.contentsHeading = counter.count(PromptLayout.CONTENTS_HEADING);
  }

  public String tokenizer() {
    return counter.name();
  }

  /** The exact tokens of an assembled prompt, writing it whole (retrieval prompts are small). */
  public long of(List<PromptMessage> messages) {
    long total = counter.count(ANSWER_PROMPT);
    for (PromptMessage m : messages) {
      StringBuilder content = new StringBuilder();
      try {
        m.content().writeTo(content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      total += counter.count(message(m.role().wireName(), content.toString()));
    }
    return total;
  }

  /**
   * The exact tokens of the stuffed prompt of {@code docs} in this order, as {@link PromptAssembler} writes it,
   * template included. Versions not counted before are counted now (their text read once) and stored.
   *
   * @param conversation earlier turns as {@link PromptLayout#conversation} writes them, or null
   */
  public long stuffed(List<Document> docs, String question, String conversation) {
    String tail = (conversation == null || conversation.isBlank() ? "" : conversation)
        + PromptLayout.instructionsAndQuestion(true, question);
    if (docs.isEmpty()) {
      return systemAndTemplate + counter.count(PromptLayout.CONTENTS_HEADING + PromptLayout.DOCUMENTS_HEADING + tail);
    }
    Map<String, Counts> counts = firstPlaceCounts(docs);
    long total = systemAndTemplate + contentsHeading;
    int number = 1;
    for (int i = 0; i < docs.size(); i++) {
      Document d = docs.get(i);
      Counts first = counts.get(ChunkId.versionKey(d.id(), d.version()));
      int labelDigits = digits(i + 1) - 1;
      total += i < docs.size() - 1 ? first.contents() + labelDigits
          : counter.count(PromptLayout.contentsLine(i, d) + PromptLayout.DOCUMENTS_HEADING);
      total += first.document() + 2L * labelDigits
          + digitsFrom(number, d.chunkCount()) - digitsFrom(1, d.chunkCount());
      number += d.chunkCount();
    }
    return total + counter.count(tail.substring(1)); // its line break ends the last document's part
  }

  /**
   * Counts and stores the versions among {@code docs} not counted yet, so that later plans only add numbers; returns
   * how many were counted now.
   */
  public int prepare(Collection<Document> docs) {
    return load(List.copyOf(docs)).counted();
  }

  /** Deletes stored counts of versions that are gone or of another layout. */
  public int purgeOrphans() {
    return store.purgeOrphans(LAYOUT);
  }

  private record Loaded(Map<String, Counts> counts, int counted) {}

  private Map<String, Counts> firstPlaceCounts(List<Document> docs) {
    return load(docs).counts();
  }

  /** The first-place counts of {@code docs}: from memory, else the store, else counted from the text and stored. */
  private Loaded load(List<Document> docs) {
    List<Document> missing = missing(docs);
    Map<String, Counts> found = new LinkedHashMap<>();
    int fromText = 0;
    if (!missing.isEmpty()) {
      found.putAll(store.get(counter.name(), LAYOUT, missing));
      Map<Document, Counts> counted = new LinkedHashMap<>();
      for (Document d : missing) {
        String key = ChunkId.versionKey(d.id(), d.version());
        if (!found.containsKey(key)) {
          List<Chunk> chunks = catalog.chunks(d.id(), d.version());
          Counts c = count(d, chunks);
          fromText++;
          found.put(key, c);
          if (chunks.size() == d.chunkCount()) { // not replaced or deleted while read
            counted.put(d, c);
          }
        }
      }
      store.put(counter.name(), LAYOUT, counted);
    }
    synchronized (cache) {
      cache.putAll(found);
      Map<String, Counts> all = new LinkedHashMap<>();
      for (Document d : docs) {
        String key = ChunkId.versionKey(d.id(), d.version());
        Counts c = cache.get(key);
        all.put(key, c != null ? c : found.get(key));
      }
      return new Loaded(all, fromText);
    }
  }

  private List<Document> missing(Collection<Document> docs) {
    List<Document> missing = new ArrayList<>();
    synchronized (cache) {
      for (Document d : docs) {
        if (!cache.containsKey(ChunkId.versionKey(d.id(), d.version()))) {
          missing.add(d);
        }
      }
    }
    return missing;
  }

  /** A version's parts at the first place: its contents line, and its block up to the line break after it. */
  private Counts count(Document d, List<Chunk> chunks) {
    StringBuilder block = new StringBuilder();
    try {
      PromptLayout.writeDocument(block, 0, d, chunks, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    block.deleteCharAt(0).append('\n'); // the open separator's line break ends the previous part
    return new Counts(counter.count(PromptLayout.contentsLine(0, d)), counter.count(block.toString()));
  }

  private static String message(String role, String content) {
    return START + role + "\n" + content + END;
  }

  static int digits(long n) {
    return Long.toString(n).length();
  }

  /** The digits written by the {@code count} numbers from {@code first} on. */
  static long digitsFrom(long first, long count) {
    return digitsUpTo(first + count - 1) - digitsUpTo(first - 1);
  }

  /** The digits of all numbers 1..n. */
  static long digitsUpTo(long n) {
    long total = 0;
    for (long low = 1, width = 1; low <= n; low *= 10, width++) {
      total += (Math.min(n, low * 10 - 1) - low + 1) * width;
    }
    return total;
  }

  private static String layoutDigest() {
    Document doc = new Document("id-1", "c", 1, "a.pdf", "dir/a.pdf", "application/pdf", null, 1, "A \"title\"",
        "en", 2, 10, 2, null, null, null, null, null);
    List<Chunk> chunks = List.of(
        new Chunk("", "id-1", 1, 0, "first <<<", 5, Provenance.pages(1, 2), 0, 0),
        new Chunk("", "id-1", 1, 1, "second", 5, Provenance.times(1000, 2000, "ALICE"), 0, 0));
    StringBuilder sample = new StringBuilder(PromptLayout.SYSTEM).append(PromptLayout.contentsLine(0, doc))
        .append(PromptLayout.frame(true, "q?")).append(PromptLayout.frame(false, "q?"))
        .append(PromptLayout.conversation(List.<String[]>of(new String[] {"user", "hi"})));
    try {
      PromptLayout.writeDocument(sample, 0, doc, chunks, 1);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(sample.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
