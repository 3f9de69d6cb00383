package rag.storage.opensearch;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the search cluster is and how the chunk indexes are laid out. {@code prefix} starts the names of the aliases
 * every instance reads and writes through: {@code <prefix>-chunks} (BM25) and {@code <prefix>-vectors-g<N>} (the
 * vectors of generation N); the concrete indexes behind an alias are {@code <alias>-000001}, {@code -000002}, ... so a
 * rebuild fills a new one and switches the alias at once. {@code shards} and {@code replicas} apply to indexes
 * created from now on. {@code username} may be null (a cluster without security, as in the tests).
 */
public record OpenSearchSettings(List<URI> urls, String prefix, int shards, int replicas, Duration timeout,
    String username, String password) {

  public static final String DEFAULT_PREFIX = "rag";

  public OpenSearchSettings {
    urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("the search cluster needs at least one URL (rag.opensearch.urls)");
    }
    for (URI url : urls) {
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
        throw new IllegalArgumentException("illegal OpenSearch URL '" + url + "': must be http(s)://host:port");
      }
    }
    if (prefix == null || !prefix.matches("[a-z0-9][a-z0-9_-]{0,100}")) {
      throw new IllegalArgumentException("illegal OpenSearch index prefix '" + prefix
          + "': lower-case letters, digits, '-' and '_', starting with a letter or digit");
    }
    if (shards < 1 || shards > 1024) {
      throw new IllegalArgumentException("illegal shard count " + shards + ", must be in 1..1024");
    }
    if (replicas < 0 || replicas > 16) {
      throw new IllegalArgumentException("illegal replica count " + replicas + ", must be in 0..16");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("illegal OpenSearch timeout " + timeout + ", must be positive");
    }
  }

  /** A cluster at these comma-separated URLs with the defaults: 3 shards, 1 replica, 30 s per request. */
  public static OpenSearchSettings of(String commaSeparatedUrls, String prefix) {
    List<URI> urls = java.util.Arrays.stream(commaSeparatedUrls.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
    return new OpenSearchSettings(urls, prefix, 3, 1, Duration.ofSeconds(30), null, null);
  }

  /** The alias of the BM25 index. */
  public String lexicalAlias() {
    return prefix + "-chunks";
  }

  /** The alias of one vector generation's index. */
  public String vectorAlias(int generation) {
    return prefix + "-vectors-g" + generation;
  }

  @Override
  public String toString() {
    return "OpenSearchSettings[urls=" + urls + ", prefix=" + prefix + ", shards=" + shards + ", replicas=" + replicas
        + ", timeout=" + timeout + ", username=" + username + ", password=" + (password == null ? "<none>" : "****")
        + "]";
  }
}
