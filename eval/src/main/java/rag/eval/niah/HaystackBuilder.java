package rag.eval.niah;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rag.storage.catalog.CatalogReader;
import rag.storage.embed.TokenCounter;

/**
 * Builds haystacks of a requested length in tokens from source texts, concatenated in order and repeated as often
 * as needed; the last segment is cut to fit. The sources are split into segments and counted once, when the builder
 * is made, so building a haystack of any length afterwards only cuts one segment.
 *
 * <p>Segments follow paragraphs (blank-line separated; each paragraph ends with a blank line in the haystack) and are
 * filled with whole sentences up to {@code segmentTokens} tokens; a single longer sentence makes a longer segment.
 * A segment never spans two sources.
 */
public final class HaystackBuilder {
  public static final int DEFAULT_SEGMENT_TOKENS = 512;

  private final String name;
  private final TokenCounter counter;
  private final List<Segment> blocks;
  private final long sourceTokens;

  public HaystackBuilder(String name, List<SourceText> sources, TokenCounter counter, int segmentTokens) {
    this.name = Objects.requireNonNull(name, "name");
    this.counter = Objects.requireNonNull(counter, "counter");
    if (segmentTokens < 1) {
      throw new IllegalArgumentException("illegal segmentTokens " + segmentTokens + ", must be at least 1");
    }
    List<Segment> split = new ArrayList<>();
    for (SourceText source : sources) {
      split.addAll(segments(source, segmentTokens));
    }
    this.blocks = List.copyOf(split);
    this.sourceTokens = blocks.stream().mapToLong(Segment::tokens).sum();
    if (sourceTokens == 0) {
      throw new IllegalArgumentException("haystack sources of '" + name + "' hold no text");
    }
  }

  public static HaystackBuilder ofDefault(TokenCounter counter) {
    return new HaystackBuilder(HaystackSources.DEFAULT_NAME, HaystackSources.defaultHaystack(), counter,
        DEFAULT_SEGMENT_TOKENS);
  }

  public static HaystackBuilder ofFolder(Path folder, TokenCounter counter) {
    return new HaystackBuilder(folder.getFileName().toString(), HaystackSources.fromFolder(folder), counter,
        DEFAULT_SEGMENT_TOKENS);
  }

  /** A haystack of a collection's documents (see {@link HaystackSources#fromCollection}). */
  public static HaystackBuilder ofCollection(CatalogReader catalog, String collection, TokenCounter counter,
      int segmentTokens) {
    return new HaystackBuilder(collection, HaystackSources.fromCollection(catalog, collection), counter,
        segmentTokens);
  }

  public String name() {
    return name;
  }

  public TokenCounter counter() {
    return counter;
  }

  /** Tokens in one pass over the sources; longer haystacks repeat them. */
  public long sourceTokens() {
    return sourceTokens;
  }

  public Haystack build(int tokens) {
    if (tokens < 1) {
      throw new IllegalArgumentException("illegal haystack length " + tokens + " tokens, must be at least 1");
    }
    List<Segment> segments = new ArrayList<>();
    int offset = 0;
    for (int i = 0; offset < tokens; i = (i + 1) % blocks.size()) {
      Segment block = blocks.get(i);
      int remaining = tokens - offset;
      if (block.tokens() <= remaining) {
        segments.add(new Segment(block.source(), block.text(), offset, block.tokens()));
        offset += block.tokens();
      } else {
        String cut = block.text().substring(0, TextBoundaries.prefixWithin(block.text(), remaining, counter));
        if (!cut.isEmpty()) {
          int cutTokens = counter.count(cut);
          segments.add(new Segment(block.source(), cut, offset, cutTokens));
          offset += cutTokens;
        }
        break;
      }
    }
    return new Haystack(name, counter.name(), segments, offset);
  }

  private List<Segment> segments(SourceText source, int segmentTokens) {
    List<Segment> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    for (String paragraph : source.text().replace("\r\n", "\n").split("\n[ \t]*\n\\s*")) {
      String stripped = paragraph.strip();
      if (stripped.isEmpty()) {
        continue;
      }
      List<String> sentences = TextBoundaries.sentences(stripped + "\n\n");
      for (String sentence : sentences) {
        int count = counter.count(sentence);
        if (tokens > 0 && tokens + count > segmentTokens) {
          out.add(new Segment(source.name(), text.toString(), 0, tokens));
          text.setLength(0);
          tokens = 0;
        }
        text.append(sentence);
        tokens += count;
      }
    }
    if (tokens > 0) {
      out.add(new Segment(source.name(), text.toString(), 0, tokens));
    }
    return out;
  }
}
