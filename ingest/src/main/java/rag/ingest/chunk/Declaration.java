package rag.ingest.chunk;

/**
 * A declaration found in source code: a class, interface, function, method... with its 1-based
 * first and last line (the first includes the comments and annotations right above it).
 */
record Declaration(String kind, String name, int start, int end, Declaration parent) {
  int depth() {
    return parent == null ? 0 : parent.depth() + 1;
  }

  /** {@code class Foo > method bar}. */
  String path() {
    String self = kind + " " + name;
    return parent == null ? self : parent.path() + " > " + self;
  }

  boolean contains(int from, int to) {
    return start <= from && to <= end;
  }
}
