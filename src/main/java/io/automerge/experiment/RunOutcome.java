package io.automerge.experiment;

import io.automerge.actors.SearchState;
import java.util.Map;

/**
 * A finished run: its search's final state (trials and costs from the journal), its export's
 * report.json, and how many of its trials were already complete when this process found it, so a
 * rerun can show it redid nothing.
 */
public record RunOutcome(ExperimentRun run, SearchState state, long completedBefore, Map<String, Object> report) {
  public long completedNow() {
    return state.count(SearchState.Outcome.COMPLETED) - completedBefore;
  }
}
