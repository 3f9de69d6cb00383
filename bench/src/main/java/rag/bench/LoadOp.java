package rag.bench;

/** The operations of the load benchmark: the closed loop's mix, and the background uploader's. */
enum LoadOp {
  /** {@code POST /query}, retrieve mode, the built-in default profile without a model server: an extractive answer. */
  QUERY_EXTRACTIVE("query-extractive", true),
  /** {@code POST /query}, retrieve mode, the profile of the scripted model server: a generated answer. */
  QUERY_MODEL("query-model", true),
  /** {@code POST /plan}, stuff mode over the whole collection (the 10M-window profile, so that it fits). */
  PLAN_STUFF("plan-stuff", true),
  /** {@code POST /search}, hybrid. */
  SEARCH("search", true),
  /** {@code GET /documents}, the first page of 100. */
  DOCUMENTS("documents", true),
  /** {@code POST /chat}, retrieve mode with the scripted model, the server-sent events read to the end. */
  CHAT("chat", true),
  /** Background: a multipart upload of a few corpus files ({@code POST /documents}). */
  UPLOAD("upload", false),
  /** Background: deleting an uploaded round's documents ({@code DELETE /api/documents/{id}}). */
  DELETE("delete", false);

  final String label;
  final boolean inMix;

  LoadOp(String label, boolean inMix) {
    this.label = label;
    this.inMix = inMix;
  }

  static LoadOp byLabel(String label) {
    for (LoadOp op : values()) {
      if (op.label.equals(label)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + label + "'");
  }
}
