package rag.app.eval;

import java.nio.file.Path;
import rag.eval.niah.NeedleSet;
import rag.eval.niah.NiahGrid;
import rag.query.profile.ModelProfile;

/**
 * A validated NIAH run. The haystack comes from {@code haystackPath} (a folder), else {@code collection}, else the
 * shipped default; {@code settings} is the request with every default filled in.
 */
public record NiahPlan(NiahRequest settings, Path haystackPath, String collection, ModelProfile profile,
    NiahMode mode, NiahGrid grid, NeedleSet needles, double foundThreshold, int documentTokens,
    ModelProfile judge) implements EvalPlan {
  @Override
  public String kind() {
    return "niah";
  }
}
