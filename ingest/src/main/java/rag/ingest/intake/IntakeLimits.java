package rag.ingest.intake;

/**
 * What an upload may hold: the size of one file, and for zip/tar archives the number of entries,
 * the total expanded size and the expansion ratio (against zip bombs).
 */
public record IntakeLimits(long maxFileBytes, int maxArchiveEntries, long maxExpandedBytes, double maxCompressionRatio) {
  public static final IntakeLimits DEFAULT = new IntakeLimits(256L << 20, 10_000, 2L << 30, 100);

  public IntakeLimits {
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("illegal maximum file size " + maxFileBytes + " bytes, must be >= 1");
    }
    if (maxArchiveEntries < 1) {
      throw new IllegalArgumentException("illegal maximum archive entries " + maxArchiveEntries + ", must be >= 1");
    }
    if (maxExpandedBytes < 1) {
      throw new IllegalArgumentException("illegal maximum expanded size " + maxExpandedBytes + ", must be >= 1");
    }
    if (!(maxCompressionRatio >= 1)) {
      throw new IllegalArgumentException("illegal maximum compression ratio " + maxCompressionRatio + ", must be >= 1");
    }
  }
}
