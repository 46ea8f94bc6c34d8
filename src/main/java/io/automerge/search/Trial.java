package io.automerge.search;

/** One entry of the ordered history; {@code cost} is set only when the trial completed. */
public record Trial(int number, TrialPlan plan, TrialStatus status, Double cost) {
  public Trial {
    if ((status == TrialStatus.COMPLETED) != (cost != null)) {
      throw new IllegalArgumentException("trial " + number + ": a cost goes with COMPLETED and only with it");
    }
    if (cost != null && !Double.isFinite(cost)) {
      throw new IllegalArgumentException("trial " + number + ": cost must be finite, got " + cost);
    }
  }

  static Trial pending(int number, TrialPlan plan) {
    return new Trial(number, plan, TrialStatus.PENDING, null);
  }
}
