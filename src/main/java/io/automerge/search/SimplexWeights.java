package io.automerge.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the N−1 free weight coordinates u ∈ [0,1]^{N−1} of one block to N merge weights on the
 * probability simplex by stick breaking: w_1 = u_1, w_i = u_i · (1 − Σ_{j<i} w_j), w_N = what is
 * left. For two models this is exactly "weight w → (w, 1 − w)"; for any N every point of the
 * simplex is reached and every u gives weights ≥ 0 that sum to 1, so no configuration is invalid.
 */
final class SimplexWeights {
  private SimplexWeights() {}

  static List<Double> fromUnit(double[] point, int offset, int freeWeights) {
    List<Double> weights = new ArrayList<>(freeWeights + 1);
    double remaining = 1.0;
    for (int i = 0; i < freeWeights; i++) {
      double w = point[offset + i] * remaining;
      weights.add(w);
      remaining -= w;
    }
    weights.add(Math.max(0.0, remaining));
    return weights;
  }

  /** Inverse of {@link #fromUnit}; a coordinate whose stick is already used up is 0. */
  static void toUnit(List<Double> weights, double[] point, int offset) {
    double remaining = 1.0;
    for (int i = 0; i < weights.size() - 1; i++) {
      double w = weights.get(i);
      double u = remaining > 1e-15 ? w / remaining : 0.0;
      point[offset + i] = Math.min(1.0, Math.max(0.0, u));
      remaining -= w;
    }
  }
}
