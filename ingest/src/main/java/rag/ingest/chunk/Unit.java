package rag.ingest.chunk;

import rag.storage.model.Provenance;

/**
 * The smallest piece a chunker moves as a whole: a sentence, a transcript cue, a line of code (or
 * a piece of one that is over the limit on its own). {@code gapAfter} is the text between this unit
 * and the next one (the whitespace of the source, a line break, or nothing inside a split word);
 * {@code boundaryAfter} says how good a place to end a chunk the end of this unit is (higher is
 * better, 0 is "only if nothing else fits"). {@code tokens} is the count of {@code text} alone.
 */
record Unit(String text, String gapAfter, int tokens, int boundaryAfter, Provenance provenance) {
  Unit withBoundaryAfter(int boundary) {
    return new Unit(text, gapAfter, tokens, boundary, provenance);
  }

  Unit withGapAfter(String gap) {
    return new Unit(text, gap, tokens, boundaryAfter, provenance);
  }
}
