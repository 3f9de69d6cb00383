package rag.ingest.parse;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one parse. {@code maxTextChars}: text beyond this many characters is dropped and a
 * warning recorded (the document is kept). {@code timeout}: a parse that runs longer is stopped and
 * fails with {@link FailureKind#TIMEOUT}.
 */
public record ParserLimits(long maxTextChars, Duration timeout) {
  /** 20 million characters (about 5 million tokens) and two minutes per file. */
  public static final ParserLimits DEFAULT = new ParserLimits(20_000_000, Duration.ofMinutes(2));

  public ParserLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (maxTextChars < 1 || maxTextChars > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("illegal text limit " + maxTextChars + " characters, must be in 1.."
          + Integer.MAX_VALUE);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("illegal parse timeout " + timeout + ", must be positive");
    }
  }
}
