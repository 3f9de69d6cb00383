package rag.query.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rag.query.cite.Citation;
import rag.storage.Archive;
import rag.storage.ArchiveFactory;
import rag.storage.StorageConfig;
import rag.storage.TestDatabase;

/**
 * Conversations in the catalog's database (issue 13: every instance of a cluster sees them), on SQLite and on
 * PostgreSQL: turns with citations survive a reopen, owners and collections are kept, concurrent appends from two
 * stores (two instances) are all kept in order, and a collection's deletion removes its older conversations only.
 */
class CatalogConversationStoreIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "postgres"})
  void conversationsLiveInTheCatalogsDatabase(String backend) throws Exception {
    TestDatabase database = backend.equals("postgres") ? TestDatabase.create() : null;
    StorageConfig config = database == null ? StorageConfig.embedded(dir)
        : StorageConfig.postgres(dir, database.jdbcUrl(), database.user(), null);
    // a second instance: on PostgreSQL another archive on the same database; embedded, a second store on one archive
    StorageConfig secondInstance = database == null ? null
        : StorageConfig.postgres(dir.resolve("second"), database.jdbcUrl(), database.user(), null);
    try {
      Conversation c;
      Citation cite = new Citation("C1", "doc-1", "a.pdf", "A", 3, 4, null, null, null, null, null, "It was built.",
          0.5);
      try (Archive archive = ArchiveFactory.open(config, 8, "m")) {
        ConversationStore store = new CatalogConversationStore(archive.stores().conversations());
        c = store.create("library", "qwen3", "Who built the light?", "0123456789ab");
        store.append(c.id(), List.of(Turn.user("Who built the light?", "Who built the light?"),
            Turn.assistant("Engineers did [C1].", "generated", List.of(cite))));
        assertThatThrownBy(() -> store.append("00000000-0000-0000-0000-000000000000", List.of()))
            .hasMessageContaining("no conversation");
      }
      try (Archive archive = ArchiveFactory.open(config, 8, "m");
          Archive other = secondInstance == null ? null : ArchiveFactory.open(secondInstance, 8, "m")) {
        ConversationStore store = new CatalogConversationStore(archive.stores().conversations());
        ConversationStore elsewhere = new CatalogConversationStore((other == null ? archive : other).stores()
            .conversations());
        Conversation reopened = store.find(c.id()).orElseThrow();
        assertThat(reopened.turns()).hasSize(2);
        assertThat(reopened.turns().get(1).citations()).containsExactly(cite);
        assertThat(reopened.owner()).isEqualTo("0123456789ab");
        assertThat(reopened.title()).isEqualTo("Who built the light?");
        assertThat(reopened.createdAt()).isEqualTo(c.createdAt());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> appends = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
          ConversationStore via = i % 2 == 0 ? store : elsewhere;
          String text = "question " + i;
          appends.add(pool.submit(() -> via.append(c.id(), List.of(Turn.user(text, text)))));
        }
        for (Future<?> f : appends) {
          f.get();
        }
        pool.shutdown();
        assertThat(elsewhere.find(c.id()).orElseThrow().turns()).hasSize(22);

        Conversation kept = store.create("kept", "qwen3", "other");
        Thread.sleep(5);
        Instant deletedAt = Instant.now();
        Thread.sleep(5);
        Conversation later = store.create("library", "qwen3", "of a new collection with the same name");
        assertThat(store.list("library", 10)).extracting(Conversation::id).containsExactly(later.id(), c.id());
        assertThat(store.deleteAll("library", deletedAt)).isEqualTo(1);
        assertThat(elsewhere.find(c.id())).isEmpty();
        assertThat(elsewhere.list(null, 10)).extracting(Conversation::id).containsExactly(later.id(), kept.id());
        assertThat(store.find("../../etc/passwd")).isEmpty();
      }
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }
}
