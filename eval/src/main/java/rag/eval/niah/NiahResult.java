package rag.eval.niah;

import java.util.List;
import java.util.Objects;

/** A finished NIAH run: its settings, the haystack name and tokenizer, one cell per grid pair (lengths outer,
 * depths inner), the summary and timings. Serializes with Jackson as is. */
public record NiahResult(NiahSettings settings, String haystack, String tokenizer, List<NiahCell> cells,
    NiahSummary summary, NiahTimings timings) {
  public NiahResult {
    Objects.requireNonNull(settings, "settings");
    cells = List.copyOf(cells);
  }
}
