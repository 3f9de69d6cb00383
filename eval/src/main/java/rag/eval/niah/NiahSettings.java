package rag.eval.niah;

import java.util.Objects;

/**
 * What a NIAH run does: the grid, the needles and question, and the partial score at or above which a target
 * counts as found. {@code mode} and {@code model} are labels for the report (for example "retrieve" and
 * "qwen3-256k"), may be null, and do not change the run.
 */
public record NiahSettings(NiahGrid grid, NeedleSet needles, double foundThreshold, String mode, String model) {
  public static final double DEFAULT_FOUND_THRESHOLD = 0.5;

  public NiahSettings {
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(needles, "needles");
    if (!(foundThreshold > 0 && foundThreshold <= 1)) {
      throw new IllegalArgumentException("illegal found threshold " + foundThreshold + ", must be in (0, 1]");
    }
  }

  public NiahSettings(NiahGrid grid, NeedleSet needles) {
    this(grid, needles, DEFAULT_FOUND_THRESHOLD, null, null);
  }
}
