package rag.storage.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Exact token counts with a model's own Hugging Face {@code tokenizer.json}, through DJL's binding of the Rust
 * tokenizers library (its native library is bundled for Linux x86-64 and loads offline). Counts leave out the
 * special tokens a tokenizer would add around a sequence; special tokens written in the text (such as
 * {@code <|im_start|>}) count as one token each, as the model's server counts them.
 *
 * <p>Long texts are encoded in pieces that split only between a line break and a character that is not white space:
 * no pre-token of the byte-level BPE models whose pre-tokenizers split like GPT-4's (Qwen, Llama 3) holds a line break
 * followed by anything but more white space, and BPE never merges across pre-tokens, so the sum of the pieces'
 * counts equals the whole text's count, without holding the whole encoding in memory. {@link #isStableCut} says where.
 */
public final class HuggingFaceTokenCounter implements TokenCounter, AutoCloseable {
  private static final int PIECE_CHARS = 64 * 1024;

  private final String name;
  private final HuggingFaceTokenizer tokenizer;

  private HuggingFaceTokenCounter(String name, HuggingFaceTokenizer tokenizer) {
    this.name = name;
    this.tokenizer = tokenizer;
  }

  /** Loads a gzip-compressed {@code tokenizer.json} from the class path. */
  public static HuggingFaceTokenCounter fromResource(String name, String gzipResource) {
    try (InputStream raw = HuggingFaceTokenCounter.class.getResourceAsStream(gzipResource)) {
      if (raw == null) {
        throw new IllegalStateException("tokenizer resource " + gzipResource + " is missing from the class path");
      }
      try (InputStream json = new GZIPInputStream(raw)) {
        return new HuggingFaceTokenCounter(name, HuggingFaceTokenizer.newInstance(json,
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the " + name + " tokenizer from " + gzipResource, e);
    }
  }

  /** Qwen 3's tokenizer, shipped with the service (see {@code rag/storage/tokenizers/qwen3/SOURCE.md}). */
  public static HuggingFaceTokenCounter qwen3() {
    return fromResource("qwen3", "/rag/storage/tokenizers/qwen3/tokenizer.json.gz");
  }

  /** The token ids of {@code text}, without added special tokens. */
  public long[] ids(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  @Override
  public int count(String text) {
    if (text.length() <= PIECE_CHARS) {
      return ids(text).length;
    }
    int total = 0;
    int start = 0;
    while (start < text.length()) {
      int end = pieceEnd(text, start);
      total += ids(text.substring(start, end)).length;
      start = end;
    }
    return total;
  }

  /**
   * True when texts may be counted in pieces cut after a line break that is followed by a character that is not
   * white space: the sum of the pieces' counts is then the count of the whole (see the class comment).
   */
  public static boolean isStableCut(CharSequence text, int at) {
    return at > 0 && at < text.length() && text.charAt(at - 1) == '\n'
        && !Character.isWhitespace(Character.codePointAt(text, at));
  }

  /** The end of the piece from {@code start}: a stable cut after PIECE_CHARS, or the text's end. */
  static int pieceEnd(String text, int start) {
    for (int i = start + PIECE_CHARS; i < text.length(); i++) {
      if (isStableCut(text, i)) {
        return i;
      }
    }
    return text.length();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
