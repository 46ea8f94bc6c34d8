package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Phase;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.search.SyntheticObjective;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator through its protocol, on the in-memory journal: every command and event goes
 * through the serialization check of the test kit, and restart() replays the journal.
 */
class SearchCoordinatorTest {
  static final Config CONFIG = ConfigFactory.parseString("""
          pekko.actor.provider = local
          pekko.actor.serialize-messages = off
          """)
      .withFallback(EventSourcedBehaviorTestKit.config())
      .withFallback(ConfigFactory.load());
  static final ActorTestKit testKit = ActorTestKit.create(CONFIG);

  static final SearchSettings SETTINGS = SearchSettings.from(CONFIG);
  private final SyntheticTrialBackend backend = new SyntheticTrialBackend();
  private final List<ActorRef<GpuWorker.Command>> workers = new ArrayList<>();
  private EventSourcedBehaviorTestKit<SearchProtocol.Command, SearchEvent, SearchState> kit;
  private static int searchCounter;

  @BeforeEach
  void setUp() {
    String id = "test-" + (++searchCounter);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), SearchCoordinator.create(id, deps(SETTINGS)));
  }

  SearchCoordinator.Dependencies deps(SearchSettings settings) {
    return new SearchCoordinator.Dependencies(backend, Executors.newSingleThreadExecutor(), settings);
  }

  static SearchProtocol.Start start(SearchSpec spec, ActorRef<SearchProtocol.StartReply> replyTo) {
    return new SearchProtocol.Start(spec, ProposalStrategy.bayesian(), replyTo);
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(testKit::stop);
    workers.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static SearchSpec spec(int trials) {
    return new SearchSpec("demo", "/models/base",
        List.of(new SearchSpec.SourceModel("/models/a", "task-a"), new SearchSpec.SourceModel("/models/b", "task-b")),
        "shape", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0), trials, 4, new SearchSpec.Validation(10), "2", 7, "/tmp/out-demo");
  }

  private void spawnWorkers(int n) {
    for (int i = 0; i < n; i++) {
      workers.add(testKit.spawn(GpuWorker.create("w" + workers.size(), Device.cpu(), backend), "w" + workers.size() + "-" + searchCounter));
    }
  }

  private SearchState awaitState(Predicate<SearchState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        SearchState state = kit.getState();
        if (condition.test(state)) {
          return state;
        }
      } catch (AssertionError restarting) {
        // the coordinator is backing off after a journal failure: ask again
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not reached; state: " + kit.getState());
  }

  @Test
  void startPersistsTheSpecAndRunsTheBudgetToAnExportedModel() {
    spawnWorkers(2);
    var result = kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(12), r));
    assertThat(result.reply()).isEqualTo(new SearchProtocol.Started(0, ProposalStrategy.bayesian()));
    assertThat(result.event()).isInstanceOf(SearchStarted.class);
    assertThat(result.state().phase()).isEqualTo(Phase.RUNNING);

    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.phase()).isEqualTo(Phase.COMPLETED);
    assertThat(done.segmentation()).isEqualTo(SyntheticTrialBackend.SEGMENTATION);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(12);
    assertThat(done.trials().keySet()).containsExactlyElementsOf(range(1, 12));
    double bestCost = done.trials().values().stream().mapToDouble(SearchState.Trial::cost).min().orElseThrow();
    assertThat(done.best().orElseThrow().cost()).isEqualTo(bestCost);
    assertThat(done.export().sha256()).isEqualTo("sha-of-trial-" + done.bestTrial());
    // Both workers took part, and each loaded the search once.
    assertThat(done.trials().values().stream().map(SearchState.Trial::lastWorker).distinct()).containsExactlyInAnyOrder("w0", "w1");
    assertThat(backend.opened.get()).isEqualTo(2);
  }

  @Test
  void restartMidSearchReplaysTheJournalAndFinishesWithoutRedoingTrials() {
    spawnWorkers(1);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(10), r));
    SearchState before = awaitState(s -> s.count(Outcome.COMPLETED) >= 4);
    Map<Integer, SearchState.Trial> completedBefore = new java.util.TreeMap<>();
    before.trials().values().stream().filter(t -> t.outcome() == Outcome.COMPLETED).forEach(t -> completedBefore.put(t.id(), t));

    var restarted = kit.restart();
    assertThat(restarted.state().count(Outcome.COMPLETED)).isGreaterThanOrEqualTo(completedBefore.size());

    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(10);
    assertThat(done.trials()).hasSize(10);
    completedBefore.forEach((id, t) -> {
      assertThat(done.trials().get(id).plan()).isEqualTo(t.plan());
      assertThat(done.trials().get(id).cost()).isEqualTo(t.cost());
    });
    // Nothing ran twice: one apply per completed trial (a trial in flight at restart may run again).
    assertThat(backend.succeededCalls()).isBetween(10L, 11L);
  }

  @Test
  void aFailedAttemptIsRetriedOnAnotherWorker() {
    spawnWorkers(2);
    backend.failWhen = (call, plan) -> call == 2;
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(6), r));
    SearchState done = awaitState(s -> s.export() != null);
    List<SearchState.Trial> retried = done.trials().values().stream().filter(t -> t.failedAttempts() > 0).toList();
    assertThat(retried).hasSize(1);
    SearchState.Trial trial = retried.get(0);
    assertThat(trial.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(trial.lastError()).contains("device lost");
    var runs = backend.calls.stream().filter(c -> c.plan().equals(trial.plan())).toList();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).failed()).isTrue();
    assertThat(runs.get(1).session()).as("retried on another worker").isNotEqualTo(runs.get(0).session());
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(6);
  }

  @Test
  void aTrialFailingTwiceIsRecordedAsFailedAndTheSearchMovesOn() {
    spawnWorkers(2);
    var poisoned = new java.util.concurrent.atomic.AtomicReference<io.automerge.search.TrialPlan>();
    backend.failWhen = (call, plan) -> {
      if (call == 3) {
        poisoned.set(plan);
      }
      return plan.equals(poisoned.get());
    };
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(6), r));
    SearchState done = awaitState(s -> s.export() != null);
    List<SearchState.Trial> failed = done.trials().values().stream().filter(t -> t.outcome() == Outcome.FAILED).toList();
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).failedAttempts()).isEqualTo(SETTINGS.maxAttempts());
    assertThat(failed.get(0).plan()).isEqualTo(poisoned.get());
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(6);
    assertThat(done.trials()).hasSize(7);
  }

  @Test
  void aDeadWorkersTrialGoesToAnotherWorker() {
    spawnWorkers(1);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(8), r));
    awaitState(s -> s.count(Outcome.COMPLETED) >= 2);
    testKit.stop(workers.remove(0));
    spawnWorkers(1);
    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(8);
  }

  @Test
  void aJournalFailureRestartsTheCoordinatorWhichResumesFromTheJournal() {
    spawnWorkers(2);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(10), r));
    awaitState(s -> s.count(Outcome.COMPLETED) >= 3);
    kit.persistenceTestKit().failNextNPersisted(2); // the journal is "down" for two writes
    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(10);
    assertThat(done.trials().keySet()).containsExactlyElementsOf(range(1, done.trials().size()));
  }

  @Test
  void segmentationFailureFailsTheSearchWithTheReason() {
    backend.failSegmentation = true;
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(4), r));
    SearchState failed = awaitState(s -> s.phase() == Phase.FAILED);
    assertThat(failed.failure()).contains("segmentation failed").contains("cannot trace /models/base");
    var again = kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(4), r));
    assertThat(again.reply()).isInstanceOfSatisfying(SearchProtocol.Refused.class,
        refused -> assertThat(refused.reason()).contains("is failed"));
  }

  @Test
  void cancelStopsTheSearchAndAnotherSpecUnderTheSameIdIsRefused() {
    kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(4), r)); // no workers: nothing runs
    // the segmentation's event comes from a background job: let it land before the restarts below,
    // whose own events are counted (on a loaded machine it arrived between them)
    awaitState(s -> s.segmentation() != null);
    var other = kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(5), r));
    assertThat(other.reply()).isInstanceOfSatisfying(SearchProtocol.Refused.class,
        refused -> assertThat(refused.reason()).contains("different spec"));
    var same = kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(4), r));
    assertThat(same.reply()).isInstanceOf(SearchProtocol.Started.class);
    assertThat(same.hasNoEvents()).isTrue();

    var cancelled = kit.<SearchState>runCommand(SearchProtocol.Cancel::new);
    assertThat(cancelled.event()).isInstanceOf(SearchCancelled.class);
    assertThat(cancelled.reply().phase()).isEqualTo(Phase.CANCELLED);
    spawnWorkers(1);
    assertThat(kit.getState().pending()).isEmpty();
    assertThat(kit.restart().state().phase()).isEqualTo(Phase.CANCELLED);
  }

  @Test
  void aSearchKeepsProposingWithItsRecordedStrategyAfterARestartAndAResumeWithOtherFlags() {
    spawnWorkers(2);
    List<io.automerge.search.BlockChoice> plans = List.of(
        new io.automerge.search.BlockChoice("linear", List.of(0.5, 0.5), null),
        new io.automerge.search.BlockChoice("ties", List.of(0.5, 0.5), 0.8),
        new io.automerge.search.BlockChoice("task_arithmetic", List.of(0.3, 0.7), null));
    ProposalStrategy fixed = new ProposalStrategy.Fixed(plans);
    var started = kit.<SearchProtocol.StartReply>runCommand(r -> new SearchProtocol.Start(spec(9), fixed, r));
    assertThat(started.reply()).isEqualTo(new SearchProtocol.Started(0, fixed));
    awaitState(s -> s.count(Outcome.COMPLETED) >= 3);

    kit.restart(); // as a coordinator started anew (another node, another process) would
    var resumed = kit.<SearchProtocol.StartReply>runCommand(r -> start(spec(9), r)); // asks for Bayesian optimization
    assertThat(resumed.reply()).isInstanceOfSatisfying(SearchProtocol.Started.class, s -> assertThat(s.strategy()).isEqualTo(fixed));
    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.strategy()).isEqualTo(fixed);
    done.trials().values().forEach(t -> assertThat(t.plan().blocks().values())
        .as("trial %d", t.id()).containsOnly(plans.get((t.id() - 1) % plans.size())));
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> ids = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      ids.add(i);
    }
    return ids;
  }

  @Test
  void syntheticCostIsTheObjective() {
    SearchSpec spec = spec(1);
    var objective = new SyntheticObjective(spec.space(SyntheticTrialBackend.SEGMENTATION.blockNames()));
    assertThat(objective.cost(objective.optimum())).isEqualTo(1.0);
  }

  /** Whole-split scores that reverse the sample's ranking: the exported trial must be the worst of the k candidates. */
  private SearchSpec rescoringSpec(int trials, int top) {
    SearchSpec spec = spec(trials).with(Map.of("rescore", top));
    var objective = new SyntheticObjective(spec.space(SyntheticTrialBackend.SEGMENTATION.blockNames()));
    backend.fullValidationShift = plan -> 10 - 2 * objective.cost(plan);
    return spec;
  }

  private static List<Integer> lowestCost(SearchState state, int k) {
    return state.trials().values().stream().filter(t -> t.outcome() == Outcome.COMPLETED)
        .sorted(java.util.Comparator.comparingDouble(SearchState.Trial::cost).thenComparingInt(SearchState.Trial::id))
        .limit(k).map(SearchState.Trial::id).toList();
  }

  @Test
  void theKBestTrialsAreRescoredOnTheWholeSplitAndTheBestOfThoseIsExported() {
    spawnWorkers(2);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(rescoringSpec(12, 3), r));

    SearchState done = awaitState(s -> s.export() != null);
    List<Integer> candidates = lowestCost(done, 3);
    assertThat(done.rescored().keySet()).containsExactlyInAnyOrderElementsOf(candidates);
    // full cost = 10 - sample cost: the candidate with the highest sample cost has the lowest full cost.
    Integer expected = candidates.get(2);
    assertThat(done.bestTrial()).isEqualTo(expected);
    assertThat(done.rescored().get(expected).cost()).isCloseTo(10 - done.trials().get(expected).cost(),
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(done.export().sha256()).isEqualTo("sha-of-trial-" + expected);
    assertThat(backend.rescoredPlans).hasSize(3);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(12);
  }

  @Test
  void aRestartBetweenRescoresKeepsTheRecordedOnesAndScoresOnlyTheRest() {
    spawnWorkers(1);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(rescoringSpec(8, 4), r));
    SearchState partway = awaitState(s -> !s.rescored().isEmpty());
    Map<Integer, SearchState.Rescore> recorded = new java.util.TreeMap<>(partway.rescored());

    var restarted = kit.restart();
    assertThat(restarted.state().rescored()).containsAllEntriesOf(recorded);

    SearchState done = awaitState(s -> s.export() != null);
    List<Integer> candidates = lowestCost(done, 4);
    assertThat(done.rescored().keySet()).containsExactlyInAnyOrderElementsOf(candidates);
    recorded.forEach((id, r) -> assertThat(done.rescored().get(id)).isEqualTo(r));
    assertThat(done.bestTrial()).isEqualTo(candidates.get(3));
    // Each candidate scored once, plus at most the one in flight when the coordinator restarted.
    assertThat(backend.rescoredPlans.size()).isBetween(4, 5);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(8);
  }

  @Test
  void withoutRescoringTheSearchsBestIsExported() {
    spawnWorkers(1);
    kit.<SearchProtocol.StartReply>runCommand(r -> start(rescoringSpec(6, 0), r));
    SearchState done = awaitState(s -> s.export() != null);
    assertThat(done.rescored()).isEmpty();
    assertThat(done.bestTrial()).isEqualTo(lowestCost(done, 1).get(0));
    assertThat(backend.rescoredPlans).isEmpty();
  }

  @Test
  void aSettledSearchLeavesItsShardSoThatRememberEntitiesForgetsIt() {
    var shard = testKit.<org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.ShardCommand>createTestProbe();
    EventSourcedBehaviorTestKit<SearchProtocol.Command, SearchEvent, SearchState> sharded = EventSourcedBehaviorTestKit.create(testKit.system(), SearchCoordinator.create("test-passivate-" + (++searchCounter),
        deps(SETTINGS), new SearchCoordinator.Passivation(shard.ref(), Duration.ofMillis(300))));
    sharded.<SearchProtocol.StartReply>runCommand(r -> start(spec(4), r));
    shard.expectNoMessage(Duration.ofMillis(1000)); // running (no worker yet): it stays
    assertThat(sharded.getState().settled()).isFalse();
    spawnWorkers(1);
    var passivate = shard.expectMessageClass(org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.Passivate.class,
        Duration.ofSeconds(60));
    assertThat(sharded.getState().settled()).isTrue();
    assertThat(passivate.entity()).isNotNull();
  }
}
