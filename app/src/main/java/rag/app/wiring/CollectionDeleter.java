package rag.app.wiring;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import rag.ingest.IngestService;
import rag.query.chat.ChatService;
import rag.storage.Archive;
import rag.storage.model.CollectionDeletion;

/**
 * Deletes a collection across the modules. The archive hides the collection and all its documents
 * in one catalog transaction (and cancels its unfinished ingest files), then purges its indexes;
 * ingest removes the originals and cancelled files' spooled bytes, chat the conversations; last, the
 * archive forgets the deletion. Whatever a crash or a failure interrupts stays pending in the
 * catalog, invisible, and is finished at the next start.
 */
@ApplicationScoped
public class CollectionDeleter {
  private static final Logger LOG = Logger.getLogger(CollectionDeleter.class);

  @Inject
  Archive archive;

  @Inject
  IngestService ingest;

  @Inject
  ChatService chat;

  void finishPendingAtStart(@Observes StartupEvent event) {
    finishPending();
  }

  /** Finishes the deletions a crash or a failure interrupted (their collections are invisible already). */
  public void finishPending() {
    for (CollectionDeletion pending : archive.pendingDeletions()) {
      LOG.infof("finishing the deletion of collection %s begun at %s", pending.collection(), pending.deletedAt());
      finish(pending);
    }
  }

  /**
   * Deletes the collection; false when there is none. Once this returns true, no reader sees any of
   * it, even when removing the leftovers failed (they are removed at the next start then).
   */
  public boolean delete(String collection) {
    return archive.deleteCollection(collection).map(deletion -> {
      try {
        finish(deletion);
      } catch (RuntimeException e) {
        LOG.warnf(e, "collection %s is deleted, but removing its leftovers failed; the next start retries",
            collection);
      }
      return true;
    }).orElse(false);
  }

  private void finish(CollectionDeletion deletion) {
    ingest.collectionDeleted(deletion);
    int conversations = chat.store().deleteAll(deletion.collection(), deletion.deletedAt());
    archive.completeDeletion(deletion);
    LOG.infof("deleted collection %s: %d documents, %d conversations", deletion.collection(),
        deletion.documentIds().size(), conversations);
  }
}
