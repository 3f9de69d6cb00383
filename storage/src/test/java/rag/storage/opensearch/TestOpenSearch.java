package rag.storage.opensearch;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The search cluster the tests use: the one at {@code OPENSEARCH_URLS} (comma-separated), which the README's test
 * command starts with scripts/opensearch.sh (three nodes). That command also sets {@code RAG_REQUIRE_OPENSEARCH}, so
 * a missing cluster fails the build there; a developer running Maven alone without a cluster gets the tests skipped,
 * with the reason.
 */
public final class TestOpenSearch {
  private TestOpenSearch() {}

  public static String urls() {
    String urls = System.getenv("OPENSEARCH_URLS");
    if (urls == null || urls.isBlank()) {
      String why = "no OpenSearch cluster: OPENSEARCH_URLS is not set (scripts/test.sh starts one with "
          + "scripts/opensearch.sh up and sets it)";
      if ("true".equals(System.getenv("RAG_REQUIRE_OPENSEARCH"))) {
        throw new IllegalStateException(why + ", and RAG_REQUIRE_OPENSEARCH=true");
      }
      Assumptions.abort(why);
    }
    return urls;
  }

  /** Settings for indexes of this test's own (three shards, one replica, as in production), under a fresh prefix. */
  public static OpenSearchSettings settings() {
    return OpenSearchSettings.of(urls(), freshPrefix());
  }

  /**
   * Settings for indexes of one shard without replicas: for tests of what the archive does on top of the indexes,
   * where index creation (twice per test) would otherwise dominate; sharding is tested on its own.
   */
  public static OpenSearchSettings singleShardSettings() {
    OpenSearchSettings s = settings();
    return new OpenSearchSettings(s.urls(), s.prefix(), 1, 0, s.timeout(), null, null);
  }

  public static String freshPrefix() {
    return "rag-test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }

  /** Deletes every index under the settings' prefix. */
  public static void deleteIndexes(OpenSearchSettings settings) {
    OpenSearchClient client = new OpenSearchClient(settings);
    var indexes = client.call("GET", "/_cat/indices/" + settings.prefix() + "-*?format=json&h=index", null);
    for (var index : indexes) {
      client.call("DELETE", "/" + index.path("index").asText(), null);
    }
  }
}
