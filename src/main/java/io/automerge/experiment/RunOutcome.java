package io.automerge.experiment;

import io.automerge.actors.SearchState;

/**
 * A finished run: its search's final state (trials, costs, export report) and how many of its
 * trials were already complete when this process found it, so a rerun can show it redid nothing.
 */
public record RunOutcome(ExperimentRun run, SearchState state, long completedBefore) {
  public long completedNow() {
    return state.count(SearchState.Outcome.COMPLETED) - completedBefore;
  }
}
