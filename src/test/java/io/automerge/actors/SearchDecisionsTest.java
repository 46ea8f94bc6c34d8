package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.search.BlockChoice;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.TrialPlan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The coordinator's decisions as functions of the folded state: retry, abandon, fail, complete, dispatch. */
class SearchDecisionsTest {
  static final String ID = "decide";
  static final SearchSettings SETTINGS = SearchCoordinatorTest.SETTINGS;

  /** A plan that names its trial, so assertions can tell proposals apart. */
  static TrialPlan plan(int trial) {
    return new TrialPlan(Map.of("tokenizer", new BlockChoice("linear", List.of(trial / 100.0, 1 - trial / 100.0), null)));
  }

  /** Proposes plan(k) for trial k. */
  static final PlanProposer PROPOSER = (state, id) -> plan(id);

  static SearchState running(int trials) {
    return SearchState.empty(ID)
        .apply(new SearchStarted(ID, SearchCoordinatorTest.spec(trials), ProposalStrategy.bayesian(), 0))
        .apply(new SegmentationDecided(ID, SyntheticTrialBackend.SEGMENTATION));
  }

  static SearchState fold(SearchState state, SearchEvent... events) {
    for (SearchEvent e : events) {
      state = state.apply(e);
    }
    return state;
  }

  static SearchState proposed(SearchState state, int... ids) {
    for (int id : ids) {
      state = state.apply(new TrialProposed(ID, id, plan(id)));
    }
    return state;
  }

  static SearchState completed(SearchState state, int id, double cost) {
    return state.apply(new TrialCompleted(ID, id, plan(id), Map.of("a", cost), null, cost, "w0", 5, null, null));
  }

  @Test
  void aFailureBelowTheLimitIsRecordedAndTheTrialStaysPending() {
    SearchState state = proposed(running(4), 1);
    List<SearchEvent> events = SearchDecisions.afterFailure(ID, state.trials().get(1), "w0", "device lost", 2);
    assertThat(events).containsExactly(new TrialFailed(ID, 1, 1, "w0", "device lost"));
    SearchState after = fold(state, events.toArray(SearchEvent[]::new));
    assertThat(after.trials().get(1).outcome()).isEqualTo(Outcome.PROPOSED);
    assertThat(after.pending()).extracting(SearchState.Trial::id).containsExactly(1);
  }

  @Test
  void theFailureThatReachesTheLimitAbandonsTheTrial() {
    SearchState state = fold(proposed(running(4), 1), new TrialFailed(ID, 1, 1, "w0", "device lost"));
    List<SearchEvent> events = SearchDecisions.afterFailure(ID, state.trials().get(1), "w1", "again", 2);
    assertThat(events).containsExactly(new TrialFailed(ID, 1, 2, "w1", "again"), new TrialAbandoned(ID, 1, 2, "again"));
    assertThat(fold(state, events.toArray(SearchEvent[]::new)).trials().get(1).outcome()).isEqualTo(Outcome.FAILED);
    // A higher limit retries the same trial instead: the policy is the caller's, the fold has none.
    assertThat(SearchDecisions.afterFailure(ID, state.trials().get(1), "w1", "again", 3))
        .containsExactly(new TrialFailed(ID, 1, 2, "w1", "again"));
  }

  @Test
  void aFailedAttemptFoldsTheSameWhateverTheLimitWas() {
    // Two failed attempts without a decision: pending, with two attempts, whatever max-attempts is now.
    SearchState state = fold(proposed(running(4), 1), new TrialFailed(ID, 1, 1, "w0", "x"), new TrialFailed(ID, 1, 2, "w1", "y"));
    assertThat(state.trials().get(1).outcome()).isEqualTo(Outcome.PROPOSED);
    assertThat(state.trials().get(1).failedAttempts()).isEqualTo(2);
  }

  @Test
  void journalsFromBeforeTrialAbandonedFoldAsTheOldCoordinatorDidAtItsSecondAttempt() {
    SearchState legacy = SearchState.empty(ID)
        .apply(new SearchStarted(ID, SearchCoordinatorTest.spec(4), null, 0)) // no strategy: written by the old coordinator
        .apply(new SegmentationDecided(ID, SyntheticTrialBackend.SEGMENTATION));
    legacy = fold(proposed(legacy, 1, 2), new TrialFailed(ID, 1, 1, "w0", "x"), new TrialFailed(ID, 2, 1, "w0", "x"),
        new TrialFailed(ID, 1, 2, "w1", "y"));
    assertThat(legacy.trials().get(1).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(legacy.trials().get(2).outcome()).isEqualTo(Outcome.PROPOSED);
    // Once the strategy is recorded, failures fold as facts only.
    SearchState upgraded = fold(legacy, new StrategyRecorded(ID, ProposalStrategy.bayesian()), new TrialFailed(ID, 2, 2, "w1", "z"));
    assertThat(upgraded.trials().get(2).outcome()).isEqualTo(Outcome.PROPOSED);
    assertThat(upgraded.strategy()).isEqualTo(ProposalStrategy.bayesian());
  }

  @Test
  void pendingTrialsPastALoweredLimitAreAbandonedAtDispatchUnlessRunning() {
    SearchState state = fold(proposed(running(6), 1, 2, 3),
        new TrialFailed(ID, 1, 1, "w0", "a"), new TrialFailed(ID, 1, 2, "w0", "b"),
        new TrialFailed(ID, 2, 1, "w0", "c"), new TrialFailed(ID, 2, 2, "w0", "d"),
        new TrialFailed(ID, 3, 1, "w0", "e"));
    var step = SearchDecisions.dispatch(state, List.of("w0", "w1"), Set.of(2), Function.identity(), PROPOSER, SETTINGS.withMaxAttempts(2));
    assertThat(step).isEqualTo(new SearchDecisions.Record<String>(List.of(new TrialAbandoned(ID, 1, 2, "b"))));
    assertThat(SearchDecisions.dispatch(state, List.of("w0"), Set.of(2), Function.identity(), PROPOSER, SETTINGS.withMaxAttempts(3)))
        .isInstanceOf(SearchDecisions.Run.class);
    // Without a free worker nothing would be tried again, so nothing is decided yet.
    assertThat(SearchDecisions.dispatch(state, List.of(), Set.of(2), Function.identity(), PROPOSER, SETTINGS.withMaxAttempts(2)))
        .isEqualTo(new SearchDecisions.Wait<String>());
  }

  @Test
  void moreAbandonedTrialsThanTheBudgetFailTheSearchNamingTheLastError() {
    SearchState state = proposed(running(10), 1, 2);
    state = fold(state, new TrialFailed(ID, 1, 1, "w0", "first"), new TrialAbandoned(ID, 1, 1, "first"));
    SearchSettings strict = new SearchSettings(1, 0.0, 0, 100, 2, SETTINGS.segmentTimeout(), SETTINGS.evaluateTimeout(),
        SETTINGS.journalBackoffMin(), SETTINGS.journalBackoffMax());
    assertThat(SearchDecisions.overFailureBudget(state, strict)).contains("1 trials failed (budget 0); last: first");
    assertThat(SearchDecisions.overFailureBudget(state, SETTINGS)).isEmpty(); // budget max(5, 10 * 0.1)
    assertThat(SearchDecisions.dispatch(state, List.of("w0"), Set.of(), Function.identity(), PROPOSER, strict))
        .isEqualTo(new SearchDecisions.Record<String>(List.of(new SearchFailed(ID, "1 trials failed (budget 0); last: first"))));
    assertThat(SETTINGS.failureBudget(200)).isEqualTo(20);
    assertThat(SETTINGS.failureBudget(20)).isEqualTo(5);
  }

  @Test
  void dispatchRetriesPendingTrialsOnAnotherWorkerThenProposesNewOnes() {
    SearchState state = fold(proposed(running(5), 1, 2), new TrialFailed(ID, 1, 1, "w0", "lost"));
    var step = SearchDecisions.dispatch(state, List.of("w0", "w1", "w2"), Set.of(2), Function.identity(), PROPOSER, SETTINGS);
    assertThat(step).isInstanceOf(SearchDecisions.Run.class);
    var run = (SearchDecisions.Run<String>) step;
    assertThat(run.assignments()).containsExactlyInAnyOrderEntriesOf(Map.of(1, "w1", 3, "w0", 4, "w2"));
    assertThat(run.proposals()).containsExactly(new TrialProposed(ID, 3, plan(3)), new TrialProposed(ID, 4, plan(4)));
  }

  @Test
  void dispatchNeverProposesBeyondTheBudget() {
    SearchState state = completed(completed(proposed(running(3), 1, 2), 1, 0.5), 2, 0.4);
    state = proposed(state, 3);
    var step = SearchDecisions.dispatch(state, List.of("w0", "w1"), Set.of(3), Function.identity(), PROPOSER, SETTINGS);
    assertThat(step).isEqualTo(new SearchDecisions.Wait<String>());
  }

  @Test
  void withTheBudgetDoneTheBestTrialsAreRescoredThenTheSearchCompletes() {
    SearchState state = SearchState.empty(ID).apply(new SearchStarted(ID, SearchCoordinatorTest.spec(3).with(Map.of("rescore", 2)),
        ProposalStrategy.bayesian(), 0)).apply(new SegmentationDecided(ID, SyntheticTrialBackend.SEGMENTATION));
    state = completed(completed(completed(proposed(state, 1, 2, 3), 1, 0.5), 2, 0.3), 3, 0.4);
    var step = SearchDecisions.dispatch(state, List.of("w0", "w1"), Set.of(), Function.identity(), PROPOSER, SETTINGS);
    assertThat(step).isEqualTo(new SearchDecisions.Rescore<>(Map.of(2, "w0", 3, "w1")));
    state = fold(state, new TrialRescored(ID, 2, Map.of(), null, 0.9, "w0", 1, null, null, null), new TrialRescored(ID, 3, Map.of(), null, 0.8, "w1", 1, null, null, null));
    assertThat(SearchDecisions.dispatch(state, List.of("w0"), Set.of(), Function.identity(), PROPOSER, SETTINGS))
        .isEqualTo(new SearchDecisions.Record<String>(List.of(new SearchCompleted(ID, 3))));
  }

  @Test
  void nothingIsDispatchedBeforeSegmentationOrAfterTheSearchEnded() {
    SearchState unsegmented = SearchState.empty(ID).apply(new SearchStarted(ID, SearchCoordinatorTest.spec(3), ProposalStrategy.bayesian(), 0));
    assertThat(SearchDecisions.dispatch(unsegmented, List.of("w0"), Set.of(), Function.identity(), PROPOSER, SETTINGS))
        .isEqualTo(new SearchDecisions.Wait<String>());
    SearchState cancelled = running(3).apply(new SearchCancelled(ID));
    assertThat(SearchDecisions.dispatch(cancelled, List.of("w0"), Set.of(), Function.identity(), PROPOSER, SETTINGS))
        .isEqualTo(new SearchDecisions.Wait<String>());
  }
}
