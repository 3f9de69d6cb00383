package rag.app.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import rag.app.api.ProblemException;
import rag.app.api.StrictJson;
import rag.app.security.Requires.On;
import rag.storage.keys.AccessLevel;
import rag.storage.keys.ApiKey;
import rag.storage.keys.KeyScope;
import rag.storage.model.CollectionNames;
import rag.storage.problem.ProblemType;

/**
 * Managing API keys: for keys with the {@code keys} scope, which can create, see and revoke only keys with no more
 * grants and scopes than they hold themselves.
 */
@Path("/api/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {
  @Inject
  ApiKeys keys;

  @Inject
  ObjectMapper mapper;

  @Inject
  CurrentCaller caller;

  @Inject
  AuditContext audit;

  public record NewKey(String name, Map<String, String> grants, List<String> scopes, String expiresAt) {
  }

  /** A key as listed: never its secret or the secret's hash. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KeyView(String id, String name, Map<String, String> grants, List<String> scopes, String createdAt,
      String expiresAt, String revokedAt, String key) {
    static KeyView of(ApiKey k, String wholeKey) {
      Map<String, String> grants = new TreeMap<>();
      k.grants().forEach((c, l) -> grants.put(c, l.wireName()));
      return new KeyView(k.id(), k.name(), grants, k.scopes().stream().map(KeyScope::wireName).sorted().toList(),
          k.createdAt().toString(), text(k.expiresAt()), text(k.revokedAt()), wholeKey);
    }

    private static String text(Instant instant) {
      return instant == null ? null : instant.toString();
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create an API key (201); the answer's \"key\" is the only time its secret is shown")
  @Requires(on = On.NOTHING, scopes = KeyScope.KEYS)
  @Audit("key-created")
  public Response create(@RequestBody(content = @Content(schema = @Schema(implementation = NewKey.class)))
      JsonNode json) {
    NewKey body = new StrictJson(mapper).read(json, NewKey.class);
    if (body == null) {
      throw ProblemException.badRequest("the request needs a JSON body with \"name\" and \"grants\"");
    }
    Map<String, AccessLevel> grants = new LinkedHashMap<>();
    if (body.grants() != null) {
      body.grants().forEach((collection, level) -> grants.put(grantTarget(collection), AccessLevel.fromWireName(level)));
    }
    Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    if (body.scopes() != null) {
      body.scopes().forEach(s -> scopes.add(KeyScope.fromWireName(s)));
    }
    Caller me = caller.get();
    grants.forEach((collection, level) -> {
      if (!holds(me, collection, level)) {
        throw new ProblemException(ProblemType.FORBIDDEN, "this key cannot grant " + level.wireName() + " on '"
            + collection + "': it does not hold it");
      }
    });
    scopes.stream().filter(s -> !me.has(s)).findFirst().ifPresent(s -> {
      throw new ProblemException(ProblemType.FORBIDDEN, "this key cannot grant the scope '" + s.wireName()
          + "': it does not hold it");
    });
    ApiKeys.Created created = keys.create(body.name(), grants, scopes, expiry(body.expiresAt()));
    audit.target(created.stored().id());
    return Response.created(URI.create("/api/admin/keys/" + created.stored().id()))
        .entity(KeyView.of(created.stored(), created.key())).build();
  }

  @GET
  @Operation(summary = "Every API key with its grants, scopes, expiry and revocation; never a secret")
  @Requires(on = On.NOTHING, scopes = KeyScope.KEYS)
  public List<KeyView> list() {
    Caller me = caller.get();
    return keys.list().stream().filter(k -> within(me, k)).map(k -> KeyView.of(k, null)).toList();
  }

  @DELETE
  @Path("/{keyId}")
  @Operation(summary = "Revoke an API key (204); every instance refuses it within seconds")
  @Requires(on = On.NOTHING, scopes = KeyScope.KEYS)
  @Audit("key-revoked")
  public Response revoke(@PathParam("keyId") String keyId) {
    audit.target(keyId);
    // a key manages only keys it could have made: no more grants or scopes than its own
    if (!keys.find(keyId).filter(k -> within(caller.get(), k)).isPresent() || !keys.revoke(keyId)) {
      throw ProblemException.notFound("active API key", keyId);
    }
    return Response.noContent().build();
  }

  private static boolean holds(Caller me, String collection, AccessLevel level) {
    return ApiKey.ALL_COLLECTIONS.equals(collection) ? me.hasEverywhere(level)
        : me.levelIn(collection).map(l -> l.includes(level)).orElse(false);
  }

  /** True when every grant and scope of the key is held by the caller too. */
  private static boolean within(Caller me, ApiKey key) {
    return key.grants().entrySet().stream().allMatch(g -> holds(me, g.getKey(), g.getValue()))
        && key.scopes().stream().allMatch(me::has);
  }

  private static String grantTarget(String collection) {
    if (ApiKey.ALL_COLLECTIONS.equals(collection) || CollectionNames.isValidName(collection)) {
      return collection;
    }
    throw ProblemException.badRequest("illegal grant target '" + collection + "': a collection name or *");
  }

  private static Instant expiry(String expiresAt) {
    if (expiresAt == null || expiresAt.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(expiresAt);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("expiresAt '" + expiresAt + "' is not an ISO-8601 instant such as"
          + " 2027-01-31T00:00:00Z");
    }
  }
}
