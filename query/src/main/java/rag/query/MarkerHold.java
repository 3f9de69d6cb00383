package rag.query;

import rag.query.generate.TokenSink;
import rag.query.plan.Route;

/**
 * Streams a routed step's answer, except the unanswerable marker: tokens are held while the answer so far (leading
 * space aside) could still be the marker, passed on at once when it cannot, and dropped when it is.
 */
final class MarkerHold implements TokenSink {
  private final TokenSink out;
  private final StringBuilder held = new StringBuilder();
  private boolean passing;

  MarkerHold(TokenSink out) {
    this.out = out;
  }

  @Override
  public void onToken(String token) {
    if (passing) {
      out.onToken(token);
      return;
    }
    held.append(token);
    String start = held.toString().stripLeading();
    boolean mayBeMarker = start.length() < Route.UNANSWERABLE.length() ? Route.UNANSWERABLE.startsWith(start)
        : start.startsWith(Route.UNANSWERABLE);
    if (!mayBeMarker) {
      passing = true;
      out.onToken(held.toString());
      held.setLength(0);
    }
  }

  /** At the end of the answer: passes on what was held unless it is the marker. */
  void release() {
    if (!passing && held.length() > 0 && !Route.unanswerable(held.toString())) {
      out.onToken(held.toString());
    }
    held.setLength(0);
  }
}
