package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import io.automerge.search.ProposalStrategy;
import io.automerge.actors.SearchProtocol;
import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.CassandraSettings;
import io.automerge.cluster.SearchClient;
import io.automerge.cluster.SearchJournal;
import io.automerge.cluster.SearchNode;
import io.automerge.eval.ModelTasks;
import io.automerge.search.SearchSpec;
import io.automerge.trial.ResidentTrialBackend;
import io.automerge.util.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `automerge search SPEC`: runs (or resumes) a search to the end and exports the best model. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search merge techniques and settings per block with Bayesian optimization; "
        + "resumes when run again with the same spec.")
public final class SearchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "Search spec (YAML).")
  Path specFile;

  @Option(names = "--events", paramLabel = "FORMAT", description = "Print every event this run persists on stdout; FORMAT: jsonl.")
  String events;

  @Option(names = "--optimizer", defaultValue = "bayesian", description = "bayesian (default) or random (the baseline).")
  String optimizer;

  @Override
  public Integer call() throws Exception {
    if (events != null && !events.equals("jsonl")) {
      throw new InvalidInputException("--events: only jsonl is supported (got " + events + ")");
    }
    SearchSpec spec = SearchSpec.load(specFile);
    ModelTasks.preflight(spec, specFile);
    Config config = CassandraConnection.ensure(ConfigFactory.load());
    ProposalStrategy strategy = switch (optimizer) {
      case "bayesian" -> ProposalStrategy.optimizer(ProposalStrategy.Algorithm.BAYESIAN);
      case "random" -> ProposalStrategy.optimizer(ProposalStrategy.Algorithm.RANDOM);
      default -> throw new InvalidInputException("--optimizer: expected bayesian or random (got " + optimizer + ")");
    };
    CassandraSettings cassandra = CassandraSettings.from(config);
    SearchLock.Holder holder = new SearchLock.Holder(spec.id(), ProcessHandle.current().pid(), resumeCommand(),
        cassandra.describeContactPoints(), cassandra.embedded() ? cassandra.localDir().toString() : null);
    try (SearchLock lock = SearchLock.acquire(holder);
        SearchNode node = SearchNode.start(config, ResidentTrialBackend.builder(config).build(), spec.workerCount());
        InterruptHint hint = node.clustered()
            ? InterruptHint.inCluster(spec.id(), holder.resume())
            : new InterruptHint(spec.id(), holder.resume())) {
      int code = run(node, spec, strategy);
      hint.finished();
      return code;
    }
  }

  /** The command that resumes this search: this one, with the spec's absolute path. */
  private String resumeCommand() {
    String options = optimizer.equals("bayesian") ? "" : " --optimizer " + optimizer;
    return Launcher.command() + " search " + specFile.toAbsolutePath().normalize() + options;
  }

  private int run(SearchNode node, SearchSpec spec, ProposalStrategy asked) throws Exception {
    SearchClient client = new SearchClient(node, spec.id());
    SearchProtocol.StartReply reply = client.start(spec, asked);
    if (reply instanceof SearchProtocol.Refused refused) {
      throw new InvalidInputException(refused.reason());
    }
    SearchProtocol.Started started = (SearchProtocol.Started) reply;
    if (!started.strategy().equals(asked)) {
      System.err.println("automerge: search " + spec.id() + " resumes with the strategy it started with ("
          + describe(started.strategy()) + "), not " + describe(asked));
    }
    CountDownLatch exported = new CountDownLatch(1);
    SearchJournal.Feed feed = null;
    if (events != null) {
      feed = new SearchJournal(node.system()).follow(spec.id(), started.fromSequenceNr() + 1, e -> {
        System.out.println(Json.line(e));
        System.out.flush();
        if (e instanceof SearchEvent.ModelExported || e instanceof SearchEvent.SearchFailed || e instanceof SearchEvent.SearchCancelled) {
          exported.countDown();
        }
      });
    }
    SearchState state;
    try (SearchProgress progress = new SearchProgress(spec)) {
      state = client.awaitSettled(Duration.ofMillis(500), progress::update);
    }
    if (feed != null) {
      exported.await(30, TimeUnit.SECONDS); // the journal feed polls: let it print the last events
      feed.stop();
    }
    return report(state);
  }

  private static String describe(ProposalStrategy strategy) {
    return strategy instanceof ProposalStrategy.Optimizer o
        ? "--optimizer " + o.algorithm().name().toLowerCase(java.util.Locale.ROOT)
        : "fixed plans";
  }

  private static int report(SearchState state) {
    if (state.phase() == SearchState.Phase.FAILED) {
      System.err.println("automerge: search " + state.id() + " failed: " + state.failure());
      return 1;
    }
    if (state.phase() == SearchState.Phase.CANCELLED) {
      System.err.println("automerge: search " + state.id() + " was cancelled");
      return 1;
    }
    SearchState.Trial best = state.best().orElseThrow();
    System.err.printf("search %s: %d trials, %d failed; best trial %d cost %.4f; model, recipe and report in %s%n",
        state.id(), state.count(SearchState.Outcome.COMPLETED), state.count(SearchState.Outcome.FAILED),
        best.id(), best.cost(), state.export().dir());
    return 0;
  }
}
