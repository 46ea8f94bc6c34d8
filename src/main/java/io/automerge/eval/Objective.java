package io.automerge.eval;

import java.util.Map;

/**
 * The search's cost: c = (1/T) Σ_t L(M; D_t) / L(S_t; D_t), the reciprocal of the harmonic mean
 * of the approximate preservation rates AP_t = L(S_t)/L(M). Lower is better; 1 means every
 * source's loss is matched on average. A NaN or infinite loss fails the trial.
 *
 * <p>Beyond the paper, {@code worst} scores a merge by its worst task, max_t L(M)/L(S_t): the mean
 * can be lowered by trading one task for another, the worst ratio only by keeping every task.
 */
public final class Objective {
  private Objective() {}

  public record Score(double cost, boolean failed, String reason) {}

  /** The paper's cost (harmonic). */
  public static Score score(Map<String, Double> mergedLosses, Map<String, Double> sourceLosses) {
    return score(mergedLosses, sourceLosses, "harmonic");
  }

  /** {@code objective}: "harmonic" (mean of the loss ratios) or "worst" (their maximum). */
  public static Score score(Map<String, Double> mergedLosses, Map<String, Double> sourceLosses, String objective) {
    boolean worst = objective.equals("worst");
    double sum = 0;
    double max = 0;
    for (Map.Entry<String, Double> source : sourceLosses.entrySet()) {
      Double merged = mergedLosses.get(source.getKey());
      if (merged == null) {
        return new Score(Double.NaN, true, "no loss for task " + source.getKey());
      }
      if (!Double.isFinite(merged)) {
        return new Score(Double.NaN, true, "loss on " + source.getKey() + " is " + merged);
      }
      double ratio = merged / source.getValue();
      sum += ratio;
      max = Math.max(max, ratio);
    }
    return new Score(worst ? max : sum / sourceLosses.size(), false, null);
  }

  /** Approximate preservation per task, AP_t = L(S_t) / L(M). */
  public static double preservation(double mergedLoss, double sourceLoss) {
    return sourceLoss / mergedLoss;
  }
}
