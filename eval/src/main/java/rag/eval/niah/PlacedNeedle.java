package rag.eval.niah;

import java.util.Objects;

/** A needle and where it was put; {@code target} is false for a distractor. */
public record PlacedNeedle(Needle needle, boolean target, NeedlePlacement placement) {
  public PlacedNeedle {
    Objects.requireNonNull(needle, "needle");
    Objects.requireNonNull(placement, "placement");
  }
}
