package rag.app.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an API key from {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (so OpenAI clients work
 * unchanged) and hands it to {@link ApiKeyIdentityProvider}. No key: an anonymous identity, which
 * {@link AccessFilter} refuses once access control is on.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {
  static final String API_KEY_HEADER = "X-API-Key";

  @Override
  public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
    String key = presentedKey(context.request().getHeader("Authorization"), context.request().getHeader(API_KEY_HEADER));
    if (key == null) {
      return Uni.createFrom().optional(Optional.empty());
    }
    return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
        new TokenAuthenticationRequest(new TokenCredential(key, "bearer")), context));
  }

  static String presentedKey(String authorization, String apiKeyHeader) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = authorization.substring(7).strip();
      return key.isEmpty() ? null : key;
    }
    if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
      return apiKeyHeader.strip();
    }
    return null;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }
}
