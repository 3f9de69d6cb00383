package rag.eval.niah;

/** Wall-clock milliseconds: building haystacks, in {@code prepare} and {@code probe} calls, and the whole run. */
public record NiahTimings(long buildMillis, long probeMillis, long totalMillis) {}
