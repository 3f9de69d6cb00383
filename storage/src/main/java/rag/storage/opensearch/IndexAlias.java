package rag.storage.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An alias and the generations of indexes behind it: {@code <alias>-000001}, {@code -000002}, ... Readers and
 * writers use the alias only; a rebuild fills the next generation and moves the alias to it in one request.
 */
final class IndexAlias {
  private final OpenSearchClient client;
  private final String alias;

  IndexAlias(OpenSearchClient client, String alias) {
    this.client = client;
    this.alias = alias;
  }

  String name() {
    return alias;
  }

  static String generation(String alias, int n) {
    return String.format("%s-%06d", alias, n);
  }

  /** The indexes the alias points to (none when it does not exist yet). */
  List<String> indexes() {
    OpenSearchClient.Response r = client.exchange("GET", "/_alias/" + alias, null);
    if (r.status() == 404) {
      return List.of();
    }
    if (!r.ok()) {
      throw OpenSearchClient.failure("GET", "/_alias/" + alias, r);
    }
    List<String> names = new ArrayList<>();
    r.body().fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Creates the first generation with {@code body} (settings and mappings) and the alias, unless the alias exists.
   * Several instances starting at once race safely: the generation's name is fixed, so only one creation succeeds.
   */
  void ensure(ObjectNode body) {
    if (!indexes().isEmpty()) {
      return;
    }
    String first = generation(alias, 1);
    ObjectNode create = body.deepCopy();
    create.putObject("aliases").putObject(alias);
    OpenSearchClient.Response r = client.exchange("PUT", "/" + first, create);
    boolean lostRace = r.status() == 400
        && r.body().path("error").path("type").asText().equals("resource_already_exists_exception");
    if (!r.ok() && !lostRace) {
      throw OpenSearchClient.failure("PUT", "/" + first, r);
    }
    client.call("GET", "/_cluster/health/" + alias + "?wait_for_status=yellow&timeout=30s", null);
  }

  /** Deletes the alias and every index behind it (tests, and dropping a vector generation). */
  void deleteAll() {
    for (String index : indexes()) {
      OpenSearchClient.Response r = client.exchange("DELETE", "/" + index, null);
      if (!r.ok() && r.status() != 404) {
        throw OpenSearchClient.failure("DELETE", "/" + index, r);
      }
    }
  }

  /**
   * Creates the next generation with {@code body}, not behind the alias yet, and returns its name. Generations left
   * by an interrupted rebuild (not behind the alias) are deleted first.
   */
  String createNext(ObjectNode body) {
    List<String> current = indexes();
    int last = 0;
    OpenSearchClient.Response all = client.exchange("GET", "/_cat/indices/" + alias + "-0*?format=json&h=index",
        null);
    if (all.ok()) {
      for (var row : all.body()) {
        String index = row.path("index").asText();
        int n = generationNumber(index);
        last = Math.max(last, n);
        if (n > 0 && !current.contains(index)) {
          client.call("DELETE", "/" + index, null);
        }
      }
    }
    String next = generation(alias, last + 1);
    client.call("PUT", "/" + next, body);
    client.call("GET", "/_cluster/health/" + next + "?wait_for_status=yellow&timeout=30s", null);
    return next;
  }

  /** Points the alias at {@code index} alone in one request (searches switch at once), then deletes the old ones. */
  void switchTo(String index) {
    List<String> old = indexes();
    ObjectNode body = OpenSearchClient.object();
    var actions = body.putArray("actions");
    actions.addObject().putObject("add").put("index", index).put("alias", alias);
    for (String o : old) {
      if (!o.equals(index)) {
        actions.addObject().putObject("remove").put("index", o).put("alias", alias);
      }
    }
    client.call("POST", "/_aliases", body);
    for (String o : old) {
      if (!o.equals(index)) {
        client.call("DELETE", "/" + o, null);
      }
    }
  }

  private int generationNumber(String index) {
    String prefix = alias + "-";
    if (!index.startsWith(prefix) || !index.substring(prefix.length()).matches("[0-9]{6}")) {
      return 0;
    }
    return Integer.parseInt(index.substring(prefix.length()));
  }
}
