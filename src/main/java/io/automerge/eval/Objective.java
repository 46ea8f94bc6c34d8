package io.automerge.eval;

import java.util.Map;

/**
 * The search's cost: c = (1/T) Σ_t L(M; D_t) / L(S_t; D_t), the reciprocal of the harmonic mean
 * of the approximate preservation rates AP_t = L(S_t)/L(M). Lower is better; 1 means every
 * source's loss is matched on average. A NaN or infinite loss fails the trial.
 */
public final class Objective {
  private Objective() {}

  public record Score(double cost, boolean failed, String reason) {}

  public static Score score(Map<String, Double> mergedLosses, Map<String, Double> sourceLosses) {
    double sum = 0;
    for (Map.Entry<String, Double> source : sourceLosses.entrySet()) {
      Double merged = mergedLosses.get(source.getKey());
      if (merged == null) {
        return new Score(Double.NaN, true, "no loss for task " + source.getKey());
      }
      if (!Double.isFinite(merged)) {
        return new Score(Double.NaN, true, "loss on " + source.getKey() + " is " + merged);
      }
      sum += merged / source.getValue();
    }
    return new Score(sum / sourceLosses.size(), false, null);
  }

  /** Approximate preservation per task, AP_t = L(S_t) / L(M). */
  public static double preservation(double mergedLoss, double sourceLoss) {
    return sourceLoss / mergedLoss;
  }
}
