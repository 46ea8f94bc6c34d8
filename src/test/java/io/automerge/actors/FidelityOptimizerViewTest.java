package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.automerge.actors.SearchEvent.*;
import io.automerge.search.BlockChoice;
import io.automerge.search.FidelityRung;
import io.automerge.search.OptimizerState;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.search.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the optimizer of a {@code fidelity:} search learns from: one entry per configuration, its
 * highest rung's cost put on the top rung's scale, so a configuration seen only on few samples
 * (where costs run low) does not look better than the fully evaluated ones.
 */
class FidelityOptimizerViewTest {
  private static final String ID = "fidelity-view";

  @Test
  void lowerRungCostsAreShiftedByTheStepsMeasuredOnPromotedConfigurations() {
    // R = 90, min 10, eta 3: rungs of 10, 30 and 90 samples.
    SearchSpec spec = SearchCoordinatorTest.spec(6).with(Map.of(
        "validation", Map.of("samples_per_task", 90), "fidelity", Map.of("min_samples", 10, "eta", 3)));
    List<SearchEvent> events = new ArrayList<>();
    events.add(new SearchStarted(ID, spec, ProposalStrategy.bayesian(), 1_000));
    events.add(new SegmentationDecided(ID, SyntheticTrialBackend.SEGMENTATION));
    // trial, config, rung, cost: configs 1 and 2 promoted to rung 1 (+0.02 and +0.04), config 1 to rung 2 (+0.01)
    double[][] evaluations = {{1, 1, 0, 0.00}, {2, 2, 0, 0.01}, {3, 3, 0, 0.02}, {4, 1, 1, 0.02}, {5, 2, 1, 0.05},
        {6, 1, 2, 0.03}, {7, 7, 1, 0.04}};
    int[] samples = {10, 30, 90};
    for (double[] e : evaluations) {
      int trial = (int) e[0];
      int rung = (int) e[2];
      TrialPlan plan = plan((int) e[1]);
      events.add(new TrialProposed(ID, trial, plan, new FidelityRung(0, rung, samples[rung], (int) e[1])));
      events.add(new TrialCompleted(ID, trial, plan, Map.of("task-a", 1.0), null, e[3], "w0", 5, null, 2L * samples[rung]));
    }
    events.add(new TrialProposed(ID, 8, plan(8), new FidelityRung(1, 1, 30, 8)));
    SearchState state = SearchState.empty(ID);
    for (SearchEvent e : events) {
      state = state.apply(e);
    }

    OptimizerState optimizer = OptimizerProposer.stateOf(state, ProposalStrategy.bayesian());

    // steps: rung 0 -> 1 median(+0.02, +0.04) = +0.03; rung 1 -> 2 +0.01 (config 1 alone)
    assertThat(optimizer.trials()).extracting(t -> t.status())
        .containsExactly(TrialStatus.COMPLETED, TrialStatus.COMPLETED, TrialStatus.COMPLETED, TrialStatus.COMPLETED,
            TrialStatus.PENDING);
    assertThat(optimizer.trials().get(0).cost()).isCloseTo(0.03, within(1e-12)); // config 1 at the top, as measured
    assertThat(optimizer.trials().get(1).cost()).isCloseTo(0.05 + 0.01, within(1e-12)); // config 2 from rung 1
    assertThat(optimizer.trials().get(2).cost()).isCloseTo(0.02 + 0.03 + 0.01, within(1e-12)); // config 3 from rung 0
    assertThat(optimizer.trials().get(3).cost()).isCloseTo(0.04 + 0.01, within(1e-12)); // config 7 started at rung 1
  }

  private static TrialPlan plan(int config) {
    Map<String, BlockChoice> blocks = new java.util.LinkedHashMap<>();
    for (String block : SyntheticTrialBackend.SEGMENTATION.blockNames()) {
      blocks.put(block, new BlockChoice("linear", List.of(config / 10.0, 1 - config / 10.0), null));
    }
    return new TrialPlan(blocks);
  }
}
