package io.automerge.experiment;

import io.automerge.actors.SearchState;
import java.util.ArrayList;
import java.util.List;

/** Best cost so far after each evaluation of a search, in the order its trials were proposed. */
public final class Curves {
  private Curves() {}

  /** Entry i is the lowest cost among trials 1…i + 1 (NaN until one completed; a failed trial still counts as spent). */
  public static List<Double> bestSoFar(SearchState state) {
    List<Double> curve = new ArrayList<>();
    double best = Double.NaN;
    for (SearchState.Trial t : state.trials().values()) {
      if (t.outcome() == SearchState.Outcome.PROPOSED) {
        continue;
      }
      if (t.cost() != null && (Double.isNaN(best) || t.cost() < best)) {
        best = t.cost();
      }
      curve.add(best);
    }
    return curve;
  }

  /** 1-based number of evaluations after which the curve is at or below {@code target}; null if never. */
  public static Integer evaluationsToReach(List<Double> curve, double target) {
    for (int i = 0; i < curve.size(); i++) {
      if (curve.get(i) <= target) {
        return i + 1;
      }
    }
    return null;
  }
}
