package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.CassandraSettings;
import io.automerge.cluster.SearchNode;
import io.automerge.trial.ResidentTrialBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `automerge worker`: a cluster node that offers its devices to every search in the cluster
 * (and can host search coordinators), until it is stopped. Set pekko.cluster.seed-nodes.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Join the AutoMerge cluster (pekko.cluster.seed-nodes) and run trials on this machine's devices.")
public final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--cpu-workers", defaultValue = "1", description = "CPU workers when there is no GPU (default: ${DEFAULT-VALUE}).")
  int cpuWorkers;

  @Override
  public Integer call() throws Exception {
    Config config = CassandraConnection.ensure(ConfigFactory.load());
    // Held until the JVM ends (the try keeps it reachable: a collected channel would drop the lock).
    try (NodeLock lock = NodeLock.acquire("worker node", CassandraSettings.from(config))) {
      return run(config);
    }
  }

  private int run(Config config) throws Exception {
    SearchNode node = SearchNode.start(config, ResidentTrialBackend.builder(config).build(), cpuWorkers);
    System.err.println("worker node up with " + node.workerIds() + "; Ctrl-C to leave the cluster");
    Runtime.getRuntime().addShutdownHook(new Thread(node::close));
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }
}
