package rag.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import rag.storage.keys.ApiKey;

/** Turns a presented API key into an identity (principal: the key's id; attribute: the key) or fails it. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  static final String KEY_ATTRIBUTE = "rag.api-key";

  @Inject
  ApiKeys keys;

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(() -> {
      ApiKey key = keys.authenticate(request.getToken().getToken())
          .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API key"));
      return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(key.id()))
          .addAttribute(KEY_ATTRIBUTE, key).build();
    });
  }
}
