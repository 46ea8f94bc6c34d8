package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.CassandraSettings;
import io.automerge.cluster.SearchNode;
import io.automerge.trial.ResidentTrialBackend;
import io.automerge.serve.ApiServer;
import io.automerge.serve.ApiSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `automerge serve`: a cluster node (coordinators and this machine's workers, as `automerge worker`)
 * with the HTTP API, dashboard and metrics (io.automerge.serve), until it is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run a node with the HTTP API (/api), the live dashboard (/), Prometheus metrics (/metrics) and health (/ready, /alive).")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default automerge.api.bind, 127.0.0.1); "
      + "any other than loopback needs AUTOMERGE_API_TOKEN.")
  String bind;

  @Option(names = "--port", description = "HTTP port (default automerge.api.port, 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--allowed-root", paramLabel = "DIR", description = "A directory posted specs may name paths under "
      + "(repeatable; default automerge.api.allowed-roots, else the current directory).")
  List<Path> allowedRoots;

  @Option(names = "--management-port", description = "Port of the pekko-management health endpoints "
      + "(default pekko.management.http.port, 7626); -1: don't start them.")
  Integer managementPort;

  @Option(names = "--cpu-workers", defaultValue = "1", description = "CPU workers when there is no GPU (default: ${DEFAULT-VALUE}).")
  int cpuWorkers;

  @Override
  public Integer call() throws Exception {
    Config base = ConfigFactory.load();
    ApiSettings settings = ApiSettings.from(base, bind, port, allowedRoots).checked(); // refuse before anything starts
    if (managementPort != null && managementPort >= 0) {
      base = ConfigFactory.parseString("pekko.management.http.port = " + managementPort).withFallback(base);
    }
    Config config = CassandraConnection.ensure(base);
    // Held until the JVM ends (the try keeps it reachable: a collected channel would drop the lock).
    try (NodeLock lock = NodeLock.acquire("serve node", CassandraSettings.from(config))) {
      return run(config, settings);
    }
  }

  private int run(Config config, ApiSettings settings) throws Exception {
    SearchNode node = SearchNode.start(config, ResidentTrialBackend.builder(config).build(), cpuWorkers);
    ApiServer server;
    try {
      server = ApiServer.start(node, settings, managementPort == null || managementPort >= 0);
    } catch (Exception e) {
      node.close();
      throw e;
    }
    System.err.println("automerge serve: dashboard " + server.uri() + ", API " + server.uri() + "api (docs: "
        + server.uri() + "api/docs), metrics " + server.uri() + "metrics"
        + (server.managementUri() == null ? "" : ", health " + server.managementUri().replaceAll("/?$", "/") + "ready")
        + (settings.tokenRequired() ? "; bearer token required" : "") + "; workers " + node.workerIds() + "; Ctrl-C stops");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      node.close();
    }));
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }
}
