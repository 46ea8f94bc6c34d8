package io.automerge.actors;

import io.automerge.search.BayesianOptimizer;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.OptimizerState;
import io.automerge.search.Proposal;
import io.automerge.search.RandomSearch;
import io.automerge.search.SearchSpec;
import io.automerge.search.Trial;
import io.automerge.search.TrialPlan;
import io.automerge.search.TrialStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the optimizer's state from the search state (trial k of the search is trial k − 1 of
 * the optimizer) and asks it for the next plan; pending trials are fantasized by the optimizer.
 */
public final class OptimizerProposer implements PlanProposer {
  public enum Kind { BAYESIAN, RANDOM }

  private final Kind kind;

  public OptimizerProposer(Kind kind) {
    this.kind = kind;
  }

  @Override
  public TrialPlan propose(SearchState search, int trialId) {
    OptimizerState state = stateOf(search);
    if (state.nextTrialNumber() != trialId - 1) {
      throw new IllegalStateException("trial ids must be dense: next is " + trialId + ", history has " + state.trials().size());
    }
    Proposal proposal = kind == Kind.BAYESIAN
        ? new BayesianOptimizer(state).propose(state)
        : new RandomSearch(state).propose(state);
    return proposal.plan();
  }

  public static OptimizerState stateOf(SearchState search) {
    SearchSpec spec = search.spec();
    OptimizerSettings settings = OptimizerSettings.builder().seed(spec.seed()).initialPoints(spec.initial())
        .warmStart(spec.warmStart()).build();
    List<Trial> trials = new ArrayList<>();
    for (SearchState.Trial t : search.trials().values()) {
      int number = t.id() - 1;
      trials.add(switch (t.outcome()) {
        case COMPLETED -> new Trial(number, t.plan(), TrialStatus.COMPLETED, t.cost());
        case FAILED -> new Trial(number, t.plan(), TrialStatus.FAILED, null);
        case PROPOSED -> new Trial(number, t.plan(), TrialStatus.PENDING, null);
      });
    }
    return new OptimizerState(spec.space(search.segmentation().blockNames()), settings, trials);
  }
}
