package rag.eval.niah;

/** How many needles a probe must find, and whether look-alike distractors are hidden too. */
public enum NeedleVariant {
  /** One needle at the requested depth. */
  SINGLE,
  /** Several needles to find together: the first at the requested depth, the rest spread evenly after it. */
  MULTI,
  /** One needle among distractors of the same form with other keys, as in RULER's multi-key NIAH. */
  MULTI_KEY
}
