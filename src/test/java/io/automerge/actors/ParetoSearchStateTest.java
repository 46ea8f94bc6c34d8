package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.automerge.actors.SearchEvent.*;
import io.automerge.search.BlockChoice;
import io.automerge.search.OptimizerState;
import io.automerge.search.ParEgo;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.search.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A search with {@code objective: pareto} folded from its events: the front over the recorded
 * per-task costs, the export chosen among the front by the select cost, and the optimizer's
 * ParEGO costs, the same after the journal is written and read back.
 */
class ParetoSearchStateTest {
  private static final String ID = "pareto";
  private static final ProposalStrategy.Optimizer BAYESIAN = ProposalStrategy.bayesian();

  /** Per-task costs (task-a, task-b) and the recorded select cost of trials 1..5. */
  private static final double[][] COSTS = {
      {0.10, 0.50, 0.30},
      {0.30, 0.20, 0.25},
      {0.18, 0.30, 0.24},
      {0.19, 0.31, 0.20}, // dominated by trial 3, yet the lowest select cost (as a PD penalty can make it)
      {0.05, 0.60, 0.325}};

  private static SearchSpec spec(int rescore) {
    return SearchCoordinatorTest.spec(6).with(Map.of("objective", "pareto", "rescore", rescore));
  }

  private static List<SearchEvent> journal(SearchSpec spec) {
    List<SearchEvent> events = new ArrayList<>();
    events.add(new SearchStarted(ID, spec, BAYESIAN, 1_000));
    events.add(new SegmentationDecided(ID, SyntheticTrialBackend.SEGMENTATION));
    for (int i = 0; i < COSTS.length; i++) {
      TrialPlan plan = plan(i + 1);
      double[] c = COSTS[i];
      events.add(new TrialProposed(ID, i + 1, plan));
      events.add(new TrialCompleted(ID, i + 1, plan, Map.of("task-a", c[0], "task-b", c[1]), null, c[2], "w0", 5,
          Map.of("task-a", c[0], "task-b", c[1]), null));
    }
    return events;
  }

  /** A plan over the synthetic backend's three blocks. */
  private static TrialPlan plan(int trial) {
    Map<String, BlockChoice> blocks = new java.util.LinkedHashMap<>();
    for (String block : SyntheticTrialBackend.SEGMENTATION.blockNames()) {
      blocks.put(block, new BlockChoice("linear", List.of(trial / 10.0, 1 - trial / 10.0), null));
    }
    return new TrialPlan(blocks);
  }

  private static SearchState fold(List<SearchEvent> events) {
    SearchState state = SearchState.empty(ID);
    for (SearchEvent e : events) {
      state = state.apply(e);
    }
    return state;
  }

  @Test
  void theFrontHoldsTheNonDominatedTrialsAndTheExportIsTheFrontMemberOfLowestSelectCost() {
    SearchState state = fold(journal(spec(0)));
    assertThat(state.paretoFront()).extracting(SearchState.Trial::id).containsExactly(1, 2, 3, 5);
    assertThat(state.bestTrial()).isEqualTo(4); // the lowest select cost overall...
    assertThat(state.finalBest()).isEqualTo(3); // ...but the export is a front member
  }

  @Test
  void reScoringComparesOnlyFrontMembers() {
    SearchState state = fold(journal(spec(2)));
    assertThat(state.rescoreCandidates()).extracting(SearchState.Trial::id).containsExactly(3, 2);
    state = state.apply(new TrialRescored(ID, 3, Map.of(), null, 0.26, "w0", 1, null, Map.of("task-a", 0.2, "task-b", 0.32), null))
        .apply(new TrialRescored(ID, 2, Map.of(), null, 0.255, "w0", 1, null, Map.of("task-a", 0.31, "task-b", 0.2), null));
    assertThat(state.finalBest()).isEqualTo(2);
    assertThat(state.rescored().get(2).taskCosts()).containsEntry("task-b", 0.2);
    // The same journal with one objective re-scores the two lowest costs, the dominated trial among them.
    Map<String, Object> metrics = new java.util.HashMap<>();
    metrics.put("objective", "metrics");
    metrics.put("select", null);
    SearchState single = fold(journal(spec(2)).stream().map(e -> e instanceof SearchStarted s
        ? new SearchStarted(ID, s.spec().with(metrics), BAYESIAN, 1_000) : e).toList());
    assertThat(single.rescoreCandidates()).extracting(SearchState.Trial::id).containsExactly(4, 3);
  }

  @Test
  void theOptimizerSeesEachTrialsParEgoCostUnderTheWeightsOfTheNextProposal() {
    SearchSpec spec = spec(0);
    SearchState state = fold(journal(spec));
    OptimizerState optimizer = OptimizerProposer.stateOf(state, BAYESIAN);
    double[] weights = ParEgo.weights(spec.seed(), 6, 2);
    List<double[]> vectors = new ArrayList<>();
    for (double[] c : COSTS) {
      vectors.add(new double[] {c[0], c[1]});
    }
    List<Double> expected = ParEgo.scalarize(vectors, weights);
    for (int i = 0; i < COSTS.length; i++) {
      assertThat(optimizer.trials().get(i).status()).isEqualTo(TrialStatus.COMPLETED);
      assertThat(optimizer.trials().get(i).cost()).isCloseTo(expected.get(i), within(1e-15));
    }
    // By hand for trial 1: normalized (0.10 − 0.05) / (0.30 − 0.05), (0.50 − 0.20) / (0.60 − 0.20).
    double a = weights[0] * 0.05 / 0.25;
    double b = weights[1] * 0.30 / 0.40;
    assertThat(optimizer.trials().get(0).cost()).isCloseTo(Math.max(a, b) + ParEgo.RHO * (a + b), within(1e-12));
    // The next proposal after trial 6 draws other weights, so the costs change.
    SearchState more = state.apply(new TrialProposed(ID, 6, plan(6)))
        .apply(new TrialCompleted(ID, 6, plan(6), Map.of(), null, 0.3, "w0", 5, Map.of("task-a", 0.3, "task-b", 0.3), null));
    assertThat(OptimizerProposer.stateOf(more, BAYESIAN).trials().get(0).cost()).isNotEqualTo(optimizer.trials().get(0).cost());
  }

  @Test
  void aJournalReadBackReplaysToTheSameFrontAndTheSameNextProposal() throws Exception {
    List<SearchEvent> journal = journal(spec(0));
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    List<SearchEvent> readBack = new ArrayList<>();
    for (SearchEvent e : journal) {
      readBack.add(cbor.readValue(cbor.writeValueAsBytes(e), SearchEvent.class));
    }
    SearchState state = fold(journal);
    SearchState replayed = fold(readBack);
    assertThat(replayed).isEqualTo(state);
    assertThat(replayed.paretoFront()).isEqualTo(state.paretoFront());
    OptimizerProposer proposer = new OptimizerProposer(BAYESIAN);
    assertThat(proposer.propose(replayed, 6)).isEqualTo(proposer.propose(state, 6));
  }
}
