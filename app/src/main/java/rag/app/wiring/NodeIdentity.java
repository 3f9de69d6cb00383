package rag.app.wiring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** The name of this process among the instances of a cluster: host, process id and a random part, new at each start. */
final class NodeIdentity {
  private static final String NAME = host() + "-" + ProcessHandle.current().pid() + "-"
      + UUID.randomUUID().toString().substring(0, 8);

  private NodeIdentity() {}

  static String name() {
    return NAME;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "host";
    }
  }
}
