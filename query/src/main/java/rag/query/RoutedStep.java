package rag.query;

import rag.query.plan.Mode;

/**
 * A step a routed answer took: its mode, its budget (retrieval; the prompt's tokens when stuffing), the prompt tokens
 * sent, the tokens it cost (prompt and answer, as the server counted them when it did), and whether the model found the
 * answer there.
 *
 * @param step 1 for the first step
 * @param note why the answer moved on, or that it ended here
 */
public record RoutedStep(int step, Mode mode, long budget, long promptTokens, long tokensSpent, boolean answered,
    String note) {}
