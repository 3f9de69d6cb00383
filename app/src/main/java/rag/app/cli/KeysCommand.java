package rag.app.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import rag.app.security.ApiKeys;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.KeyScope;
import rag.storage.problem.InvalidInputException;

/**
 * {@code keys create|list|revoke}: API keys from the command line, on the service's database (the way to make the
 * first key without a bootstrap key). {@code keys create <name> [--grant <collection|*>=<read|write|admin>]...
 * [--scope <keys|audit|eval|ingest-path>]... [--expires <ISO instant>]} prints the key once; {@code keys list} prints
 * every key without secrets; {@code keys revoke <id>}. Exit code 0 on success, 1 when the key to revoke is unknown,
 * 2 for a usage error.
 */
public class KeysCommand implements QuarkusApplication {
  static final String USAGE = "usage: keys create <name> [--grant <collection|*>=<read|write|admin>]..."
      + " [--scope <keys|audit|eval|ingest-path>]... [--expires <ISO-8601 instant>]\n"
      + "       keys list\n       keys revoke <key id>";

  @Inject
  ApiKeys keys;

  @Override
  public int run(String... args) {
    PrintStream out = System.out;
    List<String> a = Arrays.asList(args).subList(1, args.length);
    try {
      if (a.size() >= 2 && a.get(0).equals("create")) {
        return create(a.subList(1, a.size()), out);
      }
      if (a.size() == 1 && a.get(0).equals("list")) {
        for (ApiKey k : keys.list()) {
          out.printf("%s  %-30s  grants %s  scopes [%s]  created %s%s%s%n", k.id(), k.name(), grants(k),
              k.scopes().stream().map(KeyScope::wireName).sorted().collect(Collectors.joining(",")), k.createdAt(),
              k.expiresAt() == null ? "" : "  expires " + k.expiresAt(),
              k.revokedAt() == null ? "" : "  REVOKED " + k.revokedAt());
        }
        return 0;
      }
      if (a.size() == 2 && a.get(0).equals("revoke")) {
        if (!keys.revoke(a.get(1))) {
          System.err.println("keys: no active key with id '" + a.get(1) + "'");
          return 1;
        }
        out.println("revoked " + a.get(1) + " (every instance refuses it within seconds)");
        return 0;
      }
    } catch (InvalidInputException e) {
      System.err.println("keys: " + e.getMessage());
      return 2;
    }
    System.err.println(USAGE);
    return 2;
  }

  private int create(List<String> a, PrintStream out) {
    String name = a.get(0);
    Map<String, AccessLevel> grants = new LinkedHashMap<>();
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    Instant expires = null;
    for (int i = 1; i < a.size(); i += 2) {
      if (i + 1 >= a.size()) {
        throw new InvalidInputException(a.get(i) + " needs a value");
      }
      String value = a.get(i + 1);
      switch (a.get(i)) {
        case "--grant" -> {
          int eq = value.lastIndexOf('=');
          if (eq < 1) {
            throw new InvalidInputException("--grant " + value + ": use <collection|*>=<read|write|admin>");
          }
          grants.put(value.substring(0, eq), AccessLevel.fromWireName(value.substring(eq + 1)));
        }
        case "--scope" -> scopes.add(KeyScope.fromWireName(value));
        case "--expires" -> {
          try {
            expires = Instant.parse(value);
          } catch (DateTimeParseException e) {
            throw new InvalidInputException("--expires " + value + " is not an ISO-8601 instant such as"
                + " 2027-01-31T00:00:00Z");
          }
        }
        default -> throw new InvalidInputException("unknown option " + a.get(i));
      }
    }
    ApiKeys.Created created = keys.create(name, grants, scopes, expires);
    out.println("created key " + created.stored().id() + " (" + created.stored().name() + "), grants "
        + grants(created.stored()) + "; the key is shown this once:");
    out.println(created.key());
    return 0;
  }

  private static String grants(ApiKey k) {
    return new TreeMap<>(k.grants()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().wireName())
        .collect(Collectors.joining(",", "{", "}"));
  }
}
