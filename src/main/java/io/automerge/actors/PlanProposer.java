package io.automerge.actors;

import io.automerge.search.TrialPlan;

/**
 * Next plan for a search, decided from its folded state alone (spec, segmentation, finished
 * trials in id order, pending plans), so that replaying the journal proposes the same plans.
 */
@FunctionalInterface
public interface PlanProposer {
  TrialPlan propose(SearchState state, int trialId);
}
