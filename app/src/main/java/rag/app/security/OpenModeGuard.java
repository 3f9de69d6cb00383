package rag.app.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import rag.app.config.RagConfig;

/**
 * Without any API key the service runs open: anyone who reaches the port can do anything. It then listens on loopback
 * only, unless {@code rag.security.allow-open=true} says otherwise; start-up fails with the reason when it would listen
 * beyond loopback.
 */
@Singleton
public class OpenModeGuard {
  private static final Logger LOG = Logger.getLogger(OpenModeGuard.class);

  void check(@Observes StartupEvent start, ApiKeys keys, RagConfig config,
      @ConfigProperty(name = "quarkus.http.host") String host,
      @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true") boolean listening) {
    if (!listening) {
      return; // a command-line run (ingest, keys, ...): no HTTP
    }
    if (keys.securityOn()) {
      LOG.info("access control is on: every request but /q/health needs an API key");
      return;
    }
    if (isLoopback(host)) {
      LOG.warnf("access control is off (no API key exists and rag.security.bootstrap-admin-key is not set): the"
          + " service is open to anyone on this machine and listens on %s only", host);
      return;
    }
    if (!config.security().allowOpen()) {
      throw new IllegalStateException("refusing to listen on " + host + " without access control: set"
          + " rag.security.bootstrap-admin-key (RAG_SECURITY_BOOTSTRAP_ADMIN_KEY) or create a key with"
          + " 'scripts/run.sh keys create', or listen on 127.0.0.1, or set rag.security.allow-open=true");
    }
    LOG.warnf("access control is off and the service listens on %s (rag.security.allow-open=true): anyone who"
        + " reaches the port can read, change and delete everything", host);
  }

  static boolean isLoopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
