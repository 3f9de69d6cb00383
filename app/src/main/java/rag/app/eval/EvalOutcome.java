package rag.app.eval;

/** What a finished run leaves: the result (its {@code result.json}), the HTML report and a one-line summary. */
record EvalOutcome(Object result, String html, String summary) {}
