package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import io.automerge.actors.SearchState;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.SearchJournal;
import io.automerge.status.SearchStatusView;
import io.automerge.util.Json;
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
      Map<String, Object> out = SearchStatusView.summary(state);
      if (out.get("state").equals("running")) {
        whoRuns(state.id(), out);
      }
      if (listTrials) {
        out.put("trial_list", SearchStatusView.trials(state));
      }
      System.out.println(Json.pretty(out));
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
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
}
