package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import io.automerge.actors.SearchState;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.SearchJournal;
import io.automerge.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `automerge status ID`: a search's state as JSON, folded from its journal. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Print a search's state from the journal as JSON.")
public final class StatusCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ID", description = "The search id (the spec's `id`).")
  String id;

  @picocli.CommandLine.Option(names = "--trials", description = "Also list every trial (plan, losses, cost, worker, time).")
  boolean listTrials;

  @Override
  public Integer call() throws Exception {
    Config config = ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(CassandraConnection.ensure(ConfigFactory.load()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "automerge-status", config);
    try {
      SearchState state = new SearchJournal(system).currentState(id).toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (state.phase() == SearchState.Phase.NEW) {
        throw new InvalidInputException("no search with id '" + id + "' in the journal");
      }
      Map<String, Object> out = summary(state);
      if (out.get("state").equals("running")) {
        whoRuns(state.id(), out);
      }
      if (listTrials) {
        out.put("trial_list", state.trials().values().stream().map(StatusCommand::trial).toList());
      }
      System.out.println(Json.pretty(out));
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** {"id", "state", "trials": {"completed", "failed", "total"}, "best": {"trial", "cost", "plan"}}. */
  static Map<String, Object> summary(SearchState state) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", state.id());
    out.put("state", stateName(state));
    Map<String, Object> trials = new LinkedHashMap<>();
    trials.put("completed", state.count(SearchState.Outcome.COMPLETED));
    trials.put("failed", state.count(SearchState.Outcome.FAILED));
    trials.put("pending", state.pending().size());
    trials.put("total", state.spec() == null ? 0 : state.spec().trials());
    out.put("trials", trials);
    out.put("best", state.best().map(t -> {
      Map<String, Object> best = new LinkedHashMap<>();
      best.put("trial", t.id());
      best.put("cost", t.cost());
      best.put("plan", t.plan());
      return (Object) best;
    }).orElse(null));
    if (state.spec() != null && state.spec().rescore() > 0 && state.budgetDone()) {
      Map<String, Object> rescoring = new LinkedHashMap<>();
      rescoring.put("candidates", state.rescoreCandidates().stream().map(SearchState.Trial::id).toList());
      rescoring.put("rescored", state.rescored().values().stream().map(r -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", r.trial());
        m.put("full_validation_cost", r.cost());
        m.put("error", r.error());
        return m;
      }).toList());
      rescoring.put("chosen", state.phase() == SearchState.Phase.COMPLETED ? state.bestTrial() : null);
      out.put("rescoring", rescoring);
    }
    if (state.failure() != null) {
      out.put("failure", state.failure());
    }
    if (state.export() != null) {
      out.put("output", state.export().dir());
    }
    return out;
  }

  /**
   * "running" only while a live process on this machine holds the search's lock; otherwise the
   * journal says it is unfinished and nobody runs it: "interrupted", with the command that resumes it.
   * (A search run from another machine of a cluster reads as interrupted here.)
   */
  private static void whoRuns(String searchId, Map<String, Object> out) {
    var entry = SearchLock.find(searchId);
    if (entry.isPresent() && entry.get().live()) {
      out.put("pid", entry.get().holder().pid());
      return;
    }
    out.put("state", "interrupted");
    out.put("resume", entry.map(e -> e.holder().resume()).orElse(null));
  }

  private static Map<String, Object> trial(SearchState.Trial t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trial", t.id());
    out.put("outcome", t.outcome().name().toLowerCase());
    out.put("cost", t.cost());
    out.put("plan", t.plan());
    out.put("losses", t.losses());
    out.put("metrics", t.metrics());
    out.put("worker", t.lastWorker());
    out.put("millis", t.millis());
    out.put("failed_attempts", t.failedAttempts());
    out.put("last_error", t.lastError());
    return out;
  }

  static String stateName(SearchState state) {
    return switch (state.phase()) {
      case NEW, RUNNING -> "running";
      case COMPLETED -> state.export() == null ? "running" : "completed";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
    };
  }
}
