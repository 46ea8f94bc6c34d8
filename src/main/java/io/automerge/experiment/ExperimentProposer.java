package io.automerge.experiment;

import io.automerge.actors.OptimizerProposer;
import io.automerge.actors.PlanProposer;
import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import io.automerge.search.TrialPlan;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the proposer per search: each experiment run says how its search proposes (BO, random
 * or a fixed list); searches the experiment does not know get Bayesian optimization, as
 * `automerge search` would. Pure function of the search state, so replay proposes the same plans.
 */
public final class ExperimentProposer implements PlanProposer {
  private final Map<String, RunStrategy> strategies = new LinkedHashMap<>();
  private final Map<OptimizerProposer.Kind, OptimizerProposer> optimizers = new EnumMap<>(OptimizerProposer.Kind.class);

  public ExperimentProposer(List<ExperimentRun> runs) {
    for (ExperimentRun run : runs) {
      strategies.put(run.spec().id(), run.strategy());
    }
    for (OptimizerProposer.Kind kind : OptimizerProposer.Kind.values()) {
      optimizers.put(kind, new OptimizerProposer(kind));
    }
  }

  @Override
  public TrialPlan propose(SearchState state, int trialId) {
    RunStrategy strategy = strategies.getOrDefault(state.id(), new RunStrategy.Optimized(OptimizerProposer.Kind.BAYESIAN));
    if (strategy instanceof RunStrategy.Fixed f) {
      return fixed(state, f.plans(), trialId);
    }
    return optimizers.get(((RunStrategy.Optimized) strategy).kind()).propose(state, trialId);
  }

  /**
   * Trial k gets plan k − 1 on every block. A plan that failed for good makes the coordinator ask
   * for more trials than plans: those repeat the list from the start rather than invent settings.
   */
  static TrialPlan fixed(SearchState state, List<FixedPlan> plans, int trialId) {
    BlockChoice choice = plans.get((trialId - 1) % plans.size()).choice();
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    for (String block : state.segmentation().blockNames()) {
      blocks.put(block, choice);
    }
    return new TrialPlan(blocks);
  }
}
