package io.automerge.actors;

import io.automerge.actors.SearchState.Trial;
import io.automerge.export.SearchOutcome;
import java.util.List;

/** What a completed search hands to the export, read from its state. */
final class SearchOutcomes {
  private SearchOutcomes() {}

  static SearchOutcome of(SearchState state) {
    Trial best = state.best().orElseThrow();
    List<SearchOutcome.TrialRecord> trials = state.finished().stream()
        .map(t -> new SearchOutcome.TrialRecord(t.id(), t.plan(), t.cost(), t.losses(), t.lastWorker(), t.millis(), t.lastError(),
            t.fidelity()))
        .toList();
    List<SearchOutcome.RescoreRecord> rescored = state.rescoreCandidates().stream()
        .filter(t -> state.rescored().containsKey(t.id()))
        .map(t -> {
          SearchState.Rescore r = state.rescored().get(t.id());
          return new SearchOutcome.RescoreRecord(t.id(), t.cost(), r.cost(), r.losses(), r.error());
        })
        .toList();
    List<SearchOutcome.FrontMember> front = state.spec().pareto()
        ? state.paretoFront().stream().map(t -> new SearchOutcome.FrontMember(t.id(), t.plan(), t.cost(), t.taskCosts())).toList()
        : List.of();
    return new SearchOutcome(state.spec(), state.segmentation(), best.id(), best.plan(), best.losses(), best.cost(),
        trials, rescored, System.currentTimeMillis() - state.startedAtMillis(), front, state.evaluatedSamples());
  }
}
