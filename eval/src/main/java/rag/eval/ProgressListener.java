package rag.eval;

/** Told after each unit of work of a run (one grid cell, one query). Called on the thread that runs the run. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (done, total) -> { };

  void progress(int done, int total);
}
