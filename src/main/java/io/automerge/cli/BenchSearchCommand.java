package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.actors.SearchState;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.SearchClient;
import io.automerge.cluster.SearchNode;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.trial.ResidentTrialBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `automerge bench search SPEC`: what the actor runtime costs per trial. Runs the spec's search
 * (fresh ids, Cassandra journal, real workers) with 1 and 2 CPU workers and compares, in the same
 * run, the wall time per trial and worker against the worker's own merge + evaluation time.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Per-trial overhead of the actor runtime and trials/min for 1..N CPU workers.")
public final class BenchSearchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "Search spec (YAML); its id, trials and output are overridden.")
  Path specFile;

  @Option(names = "--trials", defaultValue = "40", description = "Trials per measurement (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "CPU worker counts to measure (default: ${DEFAULT-VALUE}).")
  List<Integer> workerCounts;

  @Override
  public Integer call() throws Exception {
    SearchSpec base = SearchSpec.load(specFile);
    io.automerge.eval.ModelTasks.preflight(base, specFile);
    // One process measures every worker count: give PyTorch the threads of the largest, so the
    // counts compete on equal terms (otherwise 2 workers x 2 threads oversubscribe 2 cores).
    workerCounts.stream().max(Integer::compare).ifPresent(SearchNode::shareCpuCores);
    Config config = CassandraConnection.ensure(ConfigFactory.load());
    System.out.printf("%-8s %8s %14s %14s %10s %12s%n", "workers", "trials", "wall/trial ms", "worker ms", "overhead", "trials/min");
    for (int workers : workerCounts) {
      Path out = Files.createTempDirectory("automerge-bench-search");
      SearchSpec spec = base.with(java.util.Map.of("id", base.id() + "-bench-" + System.currentTimeMillis(), "trials", trials,
          "workers", Integer.toString(workers), "output", out.toString()));
      try (SearchNode node = SearchNode.start(config, ResidentTrialBackend.builder(config).build(), workers)) {
        Measurement m = measure(node, spec);
        System.out.printf("%-8d %8d %14.1f %14.1f %9.1f%% %12.1f%n", workers, m.trials(), m.wallPerTrialMillis(),
            m.workerMillis(), 100 * (m.wallPerTrialMillis() / m.workerMillis() - 1), m.trialsPerMinute());
      }
    }
    return 0;
  }

  record Measurement(int trials, double wallPerTrialMillis, double workerMillis, double trialsPerMinute) {}

  /**
   * From the first completed trial to the last (so one-off loading is excluded): wall time × workers
   * / trials is the time a trial occupies a worker; the workers' own timings are the pure cost.
   */
  private static Measurement measure(SearchNode node, SearchSpec spec) throws Exception {
    SearchClient client = new SearchClient(node, spec.id());
    client.start(spec, ProposalStrategy.bayesian());
    long firstAt = 0;
    long firstCount = 0;
    SearchState state;
    while (true) {
      state = client.state();
      long done = state.count(SearchState.Outcome.COMPLETED);
      if (firstAt == 0 && done > 0) {
        firstAt = System.nanoTime();
        firstCount = done;
      }
      if (done >= spec.trials() || state.phase() != SearchState.Phase.RUNNING) {
        break;
      }
      Thread.sleep(20);
    }
    long lastAt = System.nanoTime();
    long measured = state.count(SearchState.Outcome.COMPLETED) - firstCount;
    int workers = spec.workerCount();
    double wallMillis = (lastAt - firstAt) / 1e6;
    final long skip = firstCount;
    double workerMillis = state.trials().values().stream()
        .filter(t -> t.outcome() == SearchState.Outcome.COMPLETED)
        .skip(skip)
        .mapToLong(SearchState.Trial::millis)
        .average().orElse(Double.NaN);
    return new Measurement((int) measured, wallMillis * workers / measured, workerMillis, measured / (wallMillis / 60000));
  }
}
