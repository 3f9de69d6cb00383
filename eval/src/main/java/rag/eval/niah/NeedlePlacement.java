package rag.eval.niah;

/**
 * Where a needle goes: before character {@code charOffset} of segment {@code segmentIndex}, which is token
 * {@code tokenOffset} of the haystack. {@code depthPercent} is the depth that was asked for; the offset is the
 * nearest sentence or paragraph boundary at or before it.
 */
public record NeedlePlacement(double depthPercent, int segmentIndex, int charOffset, int tokenOffset) {}
