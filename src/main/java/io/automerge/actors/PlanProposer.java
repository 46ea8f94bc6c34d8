package io.automerge.actors;

import io.automerge.search.ProposalStrategy;
import io.automerge.search.TrialPlan;

/**
 * Next plan for a search, decided from its folded state alone (spec, strategy, segmentation,
 * finished trials in id order, pending plans), so that replaying the journal proposes the same plans.
 */
@FunctionalInterface
public interface PlanProposer {
  TrialPlan propose(SearchState state, int trialId);

  /** The proposer the search's recorded strategy names. */
  static PlanProposer of(ProposalStrategy strategy) {
    if (strategy instanceof ProposalStrategy.Optimizer optimizer) {
      return new OptimizerProposer(optimizer);
    }
    return new FixedPlanProposer((ProposalStrategy.Fixed) strategy);
  }
}
