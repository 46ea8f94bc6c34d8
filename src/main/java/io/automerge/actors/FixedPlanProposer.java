package io.automerge.actors;

import io.automerge.search.BlockChoice;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.TrialPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trial k gets plan k − 1 on every block. A plan abandoned after failing makes the coordinator ask
 * for more trials than plans: those repeat the list from the start rather than invent settings.
 */
final class FixedPlanProposer implements PlanProposer {
  private final ProposalStrategy.Fixed strategy;

  FixedPlanProposer(ProposalStrategy.Fixed strategy) {
    this.strategy = strategy;
  }

  @Override
  public TrialPlan propose(SearchState state, int trialId) {
    BlockChoice choice = strategy.plans().get((trialId - 1) % strategy.plans().size());
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    for (String block : state.segmentation().blockNames()) {
      blocks.put(block, choice);
    }
    return new TrialPlan(blocks);
  }
}
