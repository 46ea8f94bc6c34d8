package io.automerge.search;

import java.util.ArrayList;
import java.util.List;

/**
 * ParEGO (Knowles 2006): a search over several objectives proposes each trial by minimizing one
 * random scalarization of them. Every objective is normalized to [0, 1] over the trials seen so
 * far, and a trial's scalar cost is the augmented Chebyshev value
 * <pre>  max_i w_i f_i + ρ Σ_i w_i f_i,   ρ = 0.05</pre>
 * for a weight vector w drawn uniformly from the simplex for that proposal. The draw depends only
 * on the seed and the proposal's number, so a replayed or resumed search draws the same weights.
 */
public final class ParEgo {
  /** The augmentation: small, so the max term decides, large enough that weakly dominated points lose. */
  public static final double RHO = 0.05;
  private static final long PURPOSE = 0x7A7E60L;

  private ParEgo() {}

  /** The weights of proposal {@code proposal} over {@code objectives} objectives: uniform on the simplex. */
  public static double[] weights(long seed, long proposal, int objectives) {
    Rng rng = Rng.derive(seed, proposal, PURPOSE);
    // Normalized exponentials are uniform on the simplex (a flat Dirichlet).
    double[] w = new double[objectives];
    double sum = 0;
    for (int i = 0; i < objectives; i++) {
      w[i] = -Math.log(1 - rng.nextDouble());
      sum += w[i];
    }
    for (int i = 0; i < objectives; i++) {
      w[i] = sum > 0 ? w[i] / sum : 1.0 / objectives;
    }
    return w;
  }

  /**
   * The scalar costs of {@code costs} (one vector per trial, the same objectives in the same order)
   * under {@code weights}, each objective normalized by its min and max over these trials (an
   * objective with one value normalizes to 0).
   */
  public static List<Double> scalarize(List<double[]> costs, double[] weights) {
    int m = weights.length;
    double[] min = new double[m];
    double[] max = new double[m];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (double[] c : costs) {
      if (c.length != m) {
        throw new IllegalArgumentException("a trial has " + c.length + " objectives, the weights " + m);
      }
      for (int i = 0; i < m; i++) {
        min[i] = Math.min(min[i], c[i]);
        max[i] = Math.max(max[i], c[i]);
      }
    }
    List<Double> out = new ArrayList<>(costs.size());
    for (double[] c : costs) {
      double[] normalized = new double[m];
      for (int i = 0; i < m; i++) {
        normalized[i] = max[i] > min[i] ? (c[i] - min[i]) / (max[i] - min[i]) : 0;
      }
      out.add(chebyshev(normalized, weights));
    }
    return out;
  }

  /** max_i w_i f_i + ρ Σ_i w_i f_i of already normalized objectives. */
  public static double chebyshev(double[] normalized, double[] weights) {
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < normalized.length; i++) {
      double term = weights[i] * normalized[i];
      max = Math.max(max, term);
      sum += term;
    }
    return max + RHO * sum;
  }
}
