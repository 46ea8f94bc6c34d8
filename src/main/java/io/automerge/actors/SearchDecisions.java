package io.automerge.actors;

import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Phase;
import io.automerge.actors.SearchState.Trial;
import io.automerge.search.FidelityRung;
import io.automerge.search.HyperbandSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the coordinator decides, as pure functions of the folded state, the workers and the
 * settings: retry or abandon, when the search has failed too often, what to hand to which idle
 * worker. The coordinator persists what these return; replay folds it and decides nothing.
 * Workers are any type {@code W} (actor refs at run time, names in tests).
 */
final class SearchDecisions {
  private SearchDecisions() {}

  /** One step of dispatch. */
  sealed interface Step<W> {}

  /** Nothing to do until a worker is free or an answer comes. */
  record Wait<W>() implements Step<W> {}

  /** Decisions to record first (abandonments, the search's end); dispatch again once they are. */
  record Record<W>(List<SearchEvent> events) implements Step<W> {}

  /** The final re-scoring: completed trials scored again on the whole val split (nothing to persist until answers). */
  record Rescore<W>(Map<Integer, W> assignments) implements Step<W> {}

  /** New proposals to persist, then every assignment (retries of pending trials and the new ones) to send. */
  record Run<W>(List<TrialProposed> proposals, Map<Integer, W> assignments) implements Step<W> {}

  /**
   * A failed attempt of {@code trial} on {@code worker}: recorded, and when it was the trial's
   * last allowed attempt, the trial is abandoned.
   */
  static List<SearchEvent> afterFailure(String search, Trial trial, String worker, String reason, int maxAttempts) {
    int attempt = trial.failedAttempts() + 1;
    List<SearchEvent> events = new ArrayList<>();
    events.add(new TrialFailed(search, trial.id(), attempt, worker, reason));
    if (attempt >= maxAttempts) {
      events.add(new TrialAbandoned(search, trial.id(), attempt, reason));
    }
    return events;
  }

  /**
   * Pending trials whose failed attempts already reach the limit (it was lowered since they
   * failed) and that are not running: abandoned rather than tried again.
   */
  static List<SearchEvent> exhausted(SearchState state, Set<Integer> inFlight, int maxAttempts) {
    return state.pending().stream()
        .filter(t -> t.failedAttempts() >= maxAttempts && !inFlight.contains(t.id()))
        .<SearchEvent>map(t -> new TrialAbandoned(state.id(), t.id(), t.failedAttempts(), t.lastError()))
        .toList();
  }

  /** Why the search fails, when more trials were abandoned than its failure budget allows. */
  static Optional<String> overFailureBudget(SearchState state, SearchSettings settings) {
    int budget = settings.failureBudget(state.spec().trials());
    long failed = state.count(Outcome.FAILED);
    if (failed <= budget) {
      return Optional.empty();
    }
    String last = state.trials().values().stream().filter(t -> t.lastError() != null).reduce((a, b) -> b)
        .map(Trial::lastError).orElse("none");
    return Optional.of(failed + " trials failed (budget " + budget + "); last: " + last);
  }

  /**
   * The next step of a running, segmented search: abandon exhausted trials, fail or complete the
   * search, re-score, or hand unfinished trials (after a restart or a failed attempt, preferring
   * another worker than the one that failed) and then new proposals to the idle workers.
   *
   * @param idle workers with nothing in flight
   * @param inFlight trials running now
   * @param name a worker's name, as trials record it
   */
  static <W> Step<W> dispatch(SearchState state, List<W> idle, Set<Integer> inFlight, Function<W, String> name,
      PlanProposer proposer, SearchSettings settings) {
    if (state.phase() != Phase.RUNNING || state.segmentation() == null) {
      return new Wait<>();
    }
    // Decided when the trial would be tried again, i.e. when a worker is free for it.
    List<SearchEvent> abandon = idle.isEmpty() ? List.of() : exhausted(state, inFlight, settings.maxAttempts());
    if (!abandon.isEmpty()) {
      return new Record<>(abandon);
    }
    Optional<String> failed = overFailureBudget(state, settings);
    if (failed.isPresent()) {
      return new Record<>(List.of(new SearchFailed(state.id(), failed.get())));
    }
    List<W> free = new ArrayList<>(idle);
    if (state.budgetDone()) {
      List<Trial> rescore = state.toRescore();
      if (rescore.isEmpty()) {
        return new Record<>(List.of(new SearchCompleted(state.id(), state.finalBest())));
      }
      Map<Integer, W> assignments = WorkerAssignments.inOrder(rescore, free, inFlight);
      return assignments.isEmpty() ? new Wait<>() : new Rescore<>(assignments);
    }
    Map<Integer, W> assignments = WorkerAssignments.retries(state.pending(), free, inFlight, name);
    List<TrialProposed> proposals = new ArrayList<>();
    SearchState next = state;
    while (!free.isEmpty()) {
      int id = next.nextTrialId();
      TrialProposed proposed = next.spec().fidelity() != null ? nextEvaluation(next, id, proposer)
          : next.toPropose() > 0 ? new TrialProposed(state.id(), id, proposer.propose(next, id)) : null;
      if (proposed == null) {
        break;
      }
      next = next.apply(proposed);
      proposals.add(proposed);
      assignments.put(id, free.remove(0));
    }
    return assignments.isEmpty() ? new Wait<>() : new Run<>(List.copyOf(proposals), assignments);
  }

  /**
   * A multi-fidelity search's next evaluation as its Hyperband schedule says: a new configuration
   * from the proposer at a bracket's lowest rung, or a promoted one's plan again at the next rung;
   * null when nothing can start now.
   */
  static TrialProposed nextEvaluation(SearchState state, int id, PlanProposer proposer) {
    HyperbandSchedule.Next step = state.fidelityNext();
    if (step instanceof HyperbandSchedule.Start start) {
      return new TrialProposed(state.id(), id, proposer.propose(state, id),
          new FidelityRung(start.bracket(), start.rung(), start.samples(), id));
    }
    if (step instanceof HyperbandSchedule.Promote promote) {
      return new TrialProposed(state.id(), id, state.trials().get(promote.config()).plan(),
          new FidelityRung(promote.bracket(), promote.rung(), promote.samples(), promote.config()));
    }
    return null;
  }
}
