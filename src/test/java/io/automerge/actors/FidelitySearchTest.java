package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Trial;
import io.automerge.search.FidelityRung;
import io.automerge.search.SearchSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@code fidelity:} search through the coordinator, on the in-memory journal (restart() replays it). */
class FidelitySearchTest {
  private static final ActorTestKit testKit = ActorTestKit.create(SearchCoordinatorTest.CONFIG);
  private static final int R = 90;
  private static final int TRIALS = 6;
  private static int counter;

  private final SyntheticTrialBackend backend = new SyntheticTrialBackend();
  private final List<ActorRef<GpuWorker.Command>> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() {
    workers.forEach(testKit::stop);
    workers.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static SearchSpec spec() {
    return SearchCoordinatorTest.spec(TRIALS).with(Map.of(
        "validation", Map.of("samples_per_task", R),
        "fidelity", Map.of("min_samples", 10, "eta", 3)));
  }

  private EventSourcedBehaviorTestKit<SearchProtocol.Command, SearchEvent, SearchState> kit(int workerCount) {
    String id = "fidelity-" + (++counter);
    for (int i = 0; i < workerCount; i++) {
      workers.add(testKit.spawn(GpuWorker.create("w" + i, Device.cpu(), backend), "fw" + i + "-" + counter));
    }
    var kit = EventSourcedBehaviorTestKit.<SearchProtocol.Command, SearchEvent, SearchState>create(testKit.system(),
        SearchCoordinator.create(id, new SearchCoordinator.Dependencies(backend, Executors.newSingleThreadExecutor(),
            SearchCoordinatorTest.SETTINGS)));
    kit.<SearchProtocol.StartReply>runCommand(r -> SearchCoordinatorTest.start(spec(), r));
    return kit;
  }

  private static SearchState await(EventSourcedBehaviorTestKit<SearchProtocol.Command, SearchEvent, SearchState> kit,
      Predicate<SearchState> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      SearchState state = kit.getState();
      if (condition.test(state)) {
        return state;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached; state: " + kit.getState());
  }

  @Test
  void hyperbandSpendsAtMostTheBudgetOnMoreConfigurationsAndPromotesByRank() throws Exception {
    var kit = kit(2);
    SearchState done = await(kit, s -> s.export() != null);
    List<Trial> trials = List.copyOf(done.trials().values());
    assertThat(trials).allMatch(t -> t.outcome() == Outcome.COMPLETED && t.fidelity() != null);
    assertThat(trials.stream().mapToLong(t -> t.fidelity().samples()).sum()).isLessThanOrEqualTo((long) TRIALS * R);
    assertThat(trials.stream().map(t -> t.fidelity().config()).distinct().count()).isGreaterThan(TRIALS);
    assertThat(backend.rungSamples).contains(10, 30, 90);
    // a promotion evaluates its configuration's plan again, on more samples
    for (Trial t : trials) {
      Trial config = done.trials().get(t.fidelity().config());
      assertThat(t.plan()).isEqualTo(config.plan());
      assertThat(t.fidelity().samples()).isGreaterThanOrEqualTo(config.fidelity().samples());
    }
    // bracket 0: the best third of rung 0 by cost went on to rung 1
    List<Integer> bestThird = trials.stream().filter(t -> t.fidelity().bracket() == 0 && t.fidelity().rung() == 0)
        .sorted(Comparator.comparingDouble(Trial::cost).thenComparingInt(Trial::id)).limit(3).map(Trial::id).toList();
    assertThat(trials.stream().filter(t -> t.fidelity().bracket() == 0 && t.fidelity().rung() == 1).map(t -> t.fidelity().config()))
        .containsExactlyInAnyOrderElementsOf(bestThird);
    // the exported trial is a full-fidelity one; every sample scored is counted (2 tasks)
    assertThat(done.best().orElseThrow().fidelity().samples()).isEqualTo(R);
    assertThat(done.evaluatedSamples()).isEqualTo(trials.stream().mapToLong(t -> 2L * t.fidelity().samples()).sum());
  }

  @Test
  void restartInTheMiddleOfABracketGoesOnExactlyAsWithout() throws Exception {
    var straight = kit(1);
    List<FidelityRung> expected = await(straight, s -> s.export() != null).trials().values().stream()
        .map(Trial::fidelity).toList();
    stopWorkers();

    var interrupted = kit(1);
    SearchState before = await(interrupted, s -> s.count(Outcome.COMPLETED) >= 5); // inside bracket 0's 9 at rung 0
    assertThat(before.trials().values()).allMatch(t -> t.fidelity().bracket() == 0);
    interrupted.restart();
    SearchState done = await(interrupted, s -> s.export() != null);
    assertThat(done.trials().values().stream().map(Trial::fidelity).toList()).isEqualTo(expected);
    before.trials().values().stream().filter(t -> t.outcome() == Outcome.COMPLETED)
        .forEach(t -> assertThat(done.trials().get(t.id()).cost()).isEqualTo(t.cost()));
  }
}
