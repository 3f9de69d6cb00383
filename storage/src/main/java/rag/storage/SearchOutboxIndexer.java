package rag.storage;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Applies the search outbox in the background ({@link Archive#applySearchOutbox}): every instance of the cluster
 * backend runs one, and the catalog lets one at a time drain it. It polls every {@code poll}, goes on at once while
 * entries wait, and backs off up to {@code maxBackoff} while the search cluster or the database is away (one warning
 * per outage, one line when it is back).
 */
public final class SearchOutboxIndexer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SearchOutboxIndexer.class);
  /** Entries applied per transaction. */
  static final int BATCH = 200;

  private final Archive archive;
  private final Duration poll;
  private final Duration maxBackoff;
  private final Thread thread;
  private volatile boolean running = true;

  public SearchOutboxIndexer(Archive archive, Duration poll, Duration maxBackoff) {
    this.archive = archive;
    this.poll = poll;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, "search-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    Duration wait = poll;
    boolean failing = false;
    while (running) {
      try {
        int applied = archive.applySearchOutbox(BATCH);
        if (failing) {
          LOG.info("search outbox: applied again after the outage");
          failing = false;
        }
        wait = poll;
        if (applied == BATCH) {
          continue;
        }
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failing) {
          LOG.warnf("search outbox: cannot apply it now, retrying with back-off up to %s: %s", maxBackoff,
              e.getMessage());
          failing = true;
        }
        wait = failing ? min(wait.multipliedBy(2), maxBackoff) : poll;
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops after the batch under way (its entries stay when it is cut short). */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(30_000);
  }
}
