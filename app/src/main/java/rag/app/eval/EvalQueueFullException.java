package rag.app.eval;

/** Too many evaluation runs wait for the worker; the API answers 503 with Retry-After. */
public final class EvalQueueFullException extends RuntimeException {
  public EvalQueueFullException(int limit) {
    super(limit + " evaluation runs are already waiting (rag.eval.max-queued-runs); retry when one has finished");
  }
}
