package rag.bench;

import java.util.concurrent.atomic.AtomicLong;
import rag.ingest.chunk.Chunker;
import rag.ingest.parse.Parser;

/** Adds up the time the parse workers spend in one stage (parsing or chunking), over all workers. */
final class StageTimer {
  private final AtomicLong nanos = new AtomicLong();

  Parser wrap(Parser parser) {
    return source -> {
      long start = System.nanoTime();
      try {
        return parser.parse(source);
      } finally {
        nanos.addAndGet(System.nanoTime() - start);
      }
    };
  }

  Chunker wrap(Chunker chunker) {
    return document -> {
      long start = System.nanoTime();
      try {
        return chunker.chunk(document);
      } finally {
        nanos.addAndGet(System.nanoTime() - start);
      }
    };
  }

  /** Worker-seconds spent in the stage since the last reset. */
  double seconds() {
    return nanos.get() / 1e9;
  }

  void reset() {
    nanos.set(0);
  }
}
