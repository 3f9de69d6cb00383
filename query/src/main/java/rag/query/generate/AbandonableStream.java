package rag.query.generate;

import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;

/**
 * A response body that the caller may abandon before or after it opens: abandoning closes it,
 * which ends a blocked read on it, and a body that opens after abandonment is closed at once.
 */
final class AbandonableStream {

  private static final Logger LOG = Logger.getLogger(AbandonableStream.class);

  private InputStream body;
  private boolean abandoned;

  synchronized void opened(InputStream stream) {
    body = stream;
    if (abandoned) {
      close();
    }
  }

  synchronized void abandon() {
    abandoned = true;
    close();
  }

  synchronized boolean abandoned() {
    return abandoned;
  }

  private void close() {
    if (body == null) {
      return;
    }
    try {
      body.close();
    } catch (IOException e) {
      LOG.debugf(e, "closing an abandoned model response failed (the connection is dropped anyway)");
    }
  }
}
