package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Phase;
import io.automerge.export.ExportReport;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.TrialPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replaying a journal gives the state its events say, whatever the settings are now: retry and
 * abandon are decisions recorded as events, so a changed automerge.search.max-attempts changes
 * only the decisions taken after it. Journals from before decisions were events replay as the old
 * coordinator folded them.
 */
class SearchReplayTest {
  private static int counter;
  /** One actor system per test: coordinators left running by a test must not take the next test's workers. */
  private ActorTestKit testKit;

  private final SyntheticTrialBackend backend = new SyntheticTrialBackend();

  @BeforeEach
  void startSystem() {
    testKit = ActorTestKit.create(SearchCoordinatorTest.CONFIG);
  }

  @AfterEach
  void stopSystem() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<SearchProtocol.Command, SearchEvent, SearchState> kit(String id, int maxAttempts) {
    var deps = new SearchCoordinator.Dependencies(backend, Executors.newSingleThreadExecutor(),
        SearchCoordinatorTest.SETTINGS.withMaxAttempts(maxAttempts));
    return EventSourcedBehaviorTestKit.create(testKit.system(), SearchCoordinator.create(id, deps));
  }

  private static String newId() {
    return "replay-" + (++counter);
  }

  private void spawnWorkers(int n) {
    for (int i = 0; i < n; i++) {
      String name = "w" + i;
      testKit.spawn(GpuWorker.create(name, Device.cpu(), backend), name);
    }
  }

  private static SearchState fold(String id, List<?> events) {
    SearchState state = SearchState.empty(id);
    for (Object e : events) {
      state = state.apply((SearchEvent) e);
    }
    return state;
  }

  private static SearchState await(EventSourcedBehaviorTestKit<?, ?, SearchState> kit, Predicate<SearchState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      SearchState state = kit.getState();
      if (condition.test(state)) {
        return state;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not reached; state: " + kit.getState());
  }

  /** A journal as the coordinator before this change wrote it: no strategy, no TrialAbandoned. */
  private static List<SearchEvent> legacyJournal(String id) {
    TrialPlan p1 = SearchDecisionsTest.plan(1);
    TrialPlan p2 = SearchDecisionsTest.plan(2);
    return List.of(
        new SearchStarted(id, SearchCoordinatorTest.spec(6), null, 1_000),
        new SegmentationDecided(id, SyntheticTrialBackend.SEGMENTATION),
        new TrialProposed(id, 1, p1),
        new TrialProposed(id, 2, p2),
        new TrialFailed(id, 1, 1, "worker-cpu-0", "device lost"),
        new TrialFailed(id, 1, 2, "worker-cpu-1", "device lost again"),
        new TrialCompleted(id, 2, p2, Map.of("task-a", 0.7), null, 0.7, "worker-cpu-0", 40, null, null),
        new TrialProposed(id, 3, SearchDecisionsTest.plan(3)),
        new TrialFailed(id, 3, 1, "worker-cpu-0", "device lost"));
  }

  @Test
  void anOldJournalReplaysToTheSameStateWhateverMaxAttemptsIsNow() {
    List<SearchState> states = new ArrayList<>();
    for (int maxAttempts : new int[] {1, 2, 5}) {
      String id = newId();
      var kit = kit(id, maxAttempts);
      List<SearchEvent> journal = legacyJournal(id);
      kit.initialize(journal.toArray());
      SearchState state = kit.getState();
      assertThat(state).isEqualTo(fold(id, journal));
      // As the old coordinator folded it: trial 1 failed for good at its second attempt, trial 3 waits for a retry.
      assertThat(state.trials().get(1).outcome()).isEqualTo(Outcome.FAILED);
      assertThat(state.trials().get(3).outcome()).isEqualTo(Outcome.PROPOSED);
      assertThat(state.strategy()).isNull();
      assertThat(kit.persistenceTestKit().persistedInStorage("Search|" + id)).hasSize(journal.size()); // replay wrote nothing
      states.add(state);
    }
    assertThat(states).extracting(SearchState::trials).containsOnly(states.get(0).trials());
  }

  @Test
  void theAbandonDecisionIsAnEventSoAChangedLimitReplaysTheSameState() {
    spawnWorkers(2);
    var poisoned = new AtomicReference<TrialPlan>();
    backend.failWhen = (call, plan) -> {
      if (call == 3) {
        poisoned.set(plan);
      }
      return plan.equals(poisoned.get());
    };
    String written = newId();
    var live = kit(written, 2);
    live.<SearchProtocol.StartReply>runCommand(r -> SearchCoordinatorTest.start(SearchCoordinatorTest.spec(6), r));
    SearchState done = await(live, s -> s.export() != null);
    List<Object> journal = live.persistenceTestKit().persistedInStorage("Search|" + written);
    assertThat(journal).filteredOn(e -> e instanceof TrialAbandoned).hasSize(1);
    assertThat(done.count(Outcome.FAILED)).isEqualTo(1);

    for (int maxAttempts : new int[] {1, 3, 10}) {
      String id = newId();
      var replay = kit(id, maxAttempts);
      replay.initialize(journal.toArray());
      SearchState state = replay.getState();
      assertThat(state).isEqualTo(fold(id, journal));
      assertThat(state.trials()).isEqualTo(done.trials());
      assertThat(state.phase()).isEqualTo(Phase.COMPLETED);
      assertThat(state.bestTrial()).isEqualTo(done.bestTrial());
      assertThat(state.export()).isEqualTo(done.export());
      assertThat(replay.persistenceTestKit().persistedInStorage("Search|" + id)).hasSize(journal.size());
    }
  }

  @Test
  void aLoweredLimitAbandonsAPendingTrialByADecisionAfterTheReplayNotDuringIt() {
    String id = newId();
    TrialPlan p1 = SearchDecisionsTest.plan(1);
    List<SearchEvent> journal = List.of( // written with max-attempts 3: two failures, still pending
        new SearchStarted(id, SearchCoordinatorTest.spec(3), ProposalStrategy.bayesian(), 1_000),
        new SegmentationDecided(id, SyntheticTrialBackend.SEGMENTATION),
        new TrialProposed(id, 1, p1),
        new TrialFailed(id, 1, 1, "w0", "device lost"),
        new TrialFailed(id, 1, 2, "w1", "device lost again"));
    var kit = kit(id, 2);
    kit.initialize(journal.toArray());
    SearchState replayed = kit.getState();
    assertThat(replayed).isEqualTo(fold(id, journal));
    assertThat(replayed.trials().get(1).outcome()).isEqualTo(Outcome.PROPOSED);

    spawnWorkers(1); // the first dispatch decides, with today's limit
    SearchState done = await(kit, s -> s.export() != null);
    List<Object> after = kit.persistenceTestKit().persistedInStorage("Search|" + id);
    assertThat(after.get(journal.size())).isEqualTo(new TrialAbandoned(id, 1, 2, "device lost again"));
    assertThat(done.trials().get(1).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(done.count(Outcome.COMPLETED)).isEqualTo(3);
    assertThat(backend.calls).noneMatch(c -> c.plan().equals(p1));
  }

  @Test
  void anOldRunningSearchRecordsTheStrategyItsResumeAsksForBeforeAnythingElse() {
    String id = newId();
    var kit = kit(id, 2);
    List<SearchEvent> journal = legacyJournal(id);
    kit.initialize(journal.toArray());
    ProposalStrategy random = ProposalStrategy.optimizer(ProposalStrategy.Algorithm.RANDOM);
    var resumed = kit.<SearchProtocol.StartReply>runCommand(
        r -> new SearchProtocol.Start(SearchCoordinatorTest.spec(6), random, r));
    assertThat(resumed.reply()).isEqualTo(new SearchProtocol.Started(journal.size(), random));
    assertThat(resumed.event()).isEqualTo(new StrategyRecorded(id, random));
    // A later resume with other flags keeps the recorded strategy.
    var again = kit.<SearchProtocol.StartReply>runCommand(r -> SearchCoordinatorTest.start(SearchCoordinatorTest.spec(6), r));
    assertThat(again.reply()).isEqualTo(new SearchProtocol.Started(journal.size() + 1, random));
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void eventsWrittenBeforeStrategiesAndTypedReportsReadBack() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());

    SearchEvent started = new SearchStarted("old", SearchCoordinatorTest.spec(4), ProposalStrategy.bayesian(), 5);
    ObjectNode startedTree = (ObjectNode) cbor.readTree(toBinary(serialization, started));
    startedTree.remove("strategy");
    SearchStarted oldStarted = (SearchStarted) fromBinary(serialization, started, cbor.writeValueAsBytes(startedTree));
    assertThat(oldStarted.strategy()).isNull();
    assertThat(oldStarted.spec()).isEqualTo(SearchCoordinatorTest.spec(4));

    SearchEvent exported = new ModelExported("old", "/out", "abc", ExportReport.EMPTY);
    ObjectNode exportedTree = (ObjectNode) cbor.readTree(toBinary(serialization, exported));
    ObjectNode report = exportedTree.putObject("report"); // the whole report.json, as journals held it
    report.put("search", "old");
    report.putObject("best").put("trial", 3).put("cost", 0.2);
    report.putObject("preservation_rate").put("task-a", 97.5).put("task-b", 96.0);
    report.put("preservation_discrepancy", 1.5);
    report.putObject("trials").put("total", 10).putArray("list").addObject().put("trial", 1);
    report.put("wall_millis", 1234);
    report.put("export_millis", 567);
    ModelExported oldExported = (ModelExported) fromBinary(serialization, exported, cbor.writeValueAsBytes(exportedTree));
    assertThat(oldExported.report()).isEqualTo(new ExportReport(Map.of("task-a", 97.5, "task-b", 96.0), 1.5, 567L, 1234L));
    assertThat(oldExported.dir()).isEqualTo("/out");
  }

  @Test
  void trialEventsWrittenBeforePerTaskCostsReadBackWithoutThemAndReplay() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    TrialPlan plan = SearchDecisionsTest.plan(2);
    SearchEvent completed = new TrialCompleted("old", 2, plan, Map.of("task-a", 0.7), null, 0.7, "w0", 40, Map.of("task-a", 0.7), null);
    ObjectNode completedTree = (ObjectNode) cbor.readTree(toBinary(serialization, completed));
    assertThat(completedTree.has("taskCosts")).isTrue();
    completedTree.remove("taskCosts");
    TrialCompleted oldCompleted = (TrialCompleted) fromBinary(serialization, completed, cbor.writeValueAsBytes(completedTree));
    assertThat(oldCompleted).isEqualTo(new TrialCompleted("old", 2, plan, Map.of("task-a", 0.7), null, 0.7, "w0", 40, null, null));

    SearchEvent rescored = new TrialRescored("old", 2, Map.of("task-a", 0.6), null, 0.6, "w0", 9, null, Map.of("task-a", 0.6), null);
    ObjectNode rescoredTree = (ObjectNode) cbor.readTree(toBinary(serialization, rescored));
    rescoredTree.remove("taskCosts");
    TrialRescored oldRescored = (TrialRescored) fromBinary(serialization, rescored, cbor.writeValueAsBytes(rescoredTree));
    assertThat(oldRescored.taskCosts()).isNull();
    assertThat(oldRescored.cost()).isEqualTo(0.6);

    // A journal of such events replays as before: costs and the best trial as recorded, no front.
    List<SearchEvent> journal = new ArrayList<>(legacyJournal("old"));
    journal.set(6, oldCompleted);
    SearchState state = fold("old", journal).apply(oldRescored);
    assertThat(state.trials().get(2).cost()).isEqualTo(0.7);
    assertThat(state.trials().get(2).taskCosts()).isNull();
    assertThat(state.bestTrial()).isEqualTo(2);
    assertThat(state.rescored().get(2).cost()).isEqualTo(0.6);
    assertThat(state.paretoFront()).isEmpty();
  }

  /** A plan journalled when a choice had fixed {@code density} and {@code lambda} fields reads as the same plan now. */
  @Test
  void plansWrittenWithFixedDensityAndLambdaFieldsReadBackAsParameters() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    TrialPlan plan = new TrialPlan(Map.of(
        "tokenizer", new io.automerge.search.BlockChoice("ties", List.of(0.3, 0.7), 0.8, 1.5),
        "encoder", new io.automerge.search.BlockChoice("linear", List.of(0.6, 0.4), null)));
    SearchEvent proposed = new TrialProposed("old", 4, plan);
    ObjectNode tree = (ObjectNode) cbor.readTree(toBinary(serialization, proposed));
    ObjectNode tokenizer = (ObjectNode) tree.get("plan").get("tokenizer");
    assertThat(tokenizer.get("parameters").get("density").asDouble()).isEqualTo(0.8);
    tokenizer.remove("parameters");
    tokenizer.put("density", 0.8).put("lambda", 1.5);
    ObjectNode encoder = (ObjectNode) tree.get("plan").get("encoder");
    encoder.remove("parameters");
    encoder.putNull("density");
    encoder.putNull("lambda");
    TrialProposed old = (TrialProposed) fromBinary(serialization, proposed, cbor.writeValueAsBytes(tree));
    assertThat(old.plan()).isEqualTo(plan);
    assertThat(old.plan().block("tokenizer").parameters()).containsOnly(Map.entry("density", 0.8), Map.entry("lambda", 1.5));
    assertThat(old.plan().block("encoder").parameters()).isEmpty();
  }

  private static byte[] toBinary(Serialization serialization, Object o) {
    return serialization.findSerializerFor(o).toBinary(o);
  }

  private static Object fromBinary(Serialization serialization, Object like, byte[] bytes) {
    Serializer serializer = serialization.findSerializerFor(like);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, like)).get();
  }
}
