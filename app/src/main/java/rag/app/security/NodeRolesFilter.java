package rag.app.security;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import rag.app.api.ProblemException;
import rag.app.config.RagConfig;
import rag.storage.problem.ProblemType;

/**
 * An instance without the {@code api} role ({@code rag.node.roles=ingest}) answers no API request: 421, so that a
 * client or a load balancer that sent it here learns at once that it is not the place. Health and metrics stay.
 */
public class NodeRolesFilter {
  // looked up per request: RESTEasy creates filters before the application's configuration is ready
  @Inject
  Instance<RagConfig> config;

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
  public void check() {
    java.util.Set<RagConfig.Role> roles = config.get().node().roles();
    if (!roles.contains(RagConfig.Role.API)) {
      throw new ProblemException(ProblemType.MISDIRECTED, "this instance only ingests (rag.node.roles="
          + roles.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).toList()
          + "); send API requests to an instance with the api role");
    }
  }
}
