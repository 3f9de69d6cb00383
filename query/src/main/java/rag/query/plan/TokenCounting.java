package rag.query.plan;

import java.util.Locale;

/** How a plan counted its prompt's tokens. */
public enum TokenCounting {
  /** With the model's own tokenizer, template included, no margin. */
  EXACT,
  /** Stored counts scaled by the ratio measured on the model's server ({@code /tokenize}), plus 2%. */
  CALIBRATED,
  /** Stored counts (another tokenizer's) plus the safety margin. */
  ESTIMATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
