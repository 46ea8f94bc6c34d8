package io.automerge.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Puts a configuration's cost at a lower rung on the top rung's scale, so the surrogate of a
 * multi-fidelity search compares like with like.
 *
 * <p>A rung's cost is biased, not only noisy: on fewer samples the easy examples dominate and a
 * preservation rate is often perfect (fashion-cct's Model Stock plan costs 0.000 on 56 samples,
 * 0.022 on 167 and 0.029 on 500). Taken as they are, configurations seen only on a low rung look
 * better than every fully evaluated one and the optimizer proposes around them. The correction
 * adds, rung by rung up to the top, the median of (cost at rung j + 1 − cost at rung j) over the
 * configurations the search has evaluated at both; a step without such a pair adds nothing yet.
 * A median of differences is robust to the few pairs a search has and keeps the order of costs
 * within a rung, which is all successive halving reads.
 */
public final class FidelityCorrection {
  private final double[] shiftUp; // shiftUp[j]: cost at rung j + 1 minus cost at rung j, typically

  private FidelityCorrection(double[] shiftUp) {
    this.shiftUp = shiftUp;
  }

  /**
   * @param costsByConfig each configuration's completed costs by rung (rung index to cost)
   * @param rungs the number of rungs
   */
  public static FidelityCorrection fit(List<? extends Map<Integer, Double>> costsByConfig, int rungs) {
    double[] shift = new double[Math.max(0, rungs - 1)];
    for (int j = 0; j < shift.length; j++) {
      List<Double> steps = new ArrayList<>();
      for (Map<Integer, Double> costs : costsByConfig) {
        Double low = costs.get(j);
        Double high = costs.get(j + 1);
        if (low != null && high != null) {
          steps.add(high - low);
        }
      }
      shift[j] = median(steps);
    }
    return new FidelityCorrection(shift);
  }

  /** {@code cost} measured at {@code rung}, as the top rung would likely measure it. */
  public double toTop(double cost, int rung) {
    double out = cost;
    for (int j = rung; j < shiftUp.length; j++) {
      out += shiftUp[j];
    }
    return out;
  }

  /** The fitted step from rung j to j + 1 (0 where no configuration was evaluated at both). */
  public double shift(int j) {
    return shiftUp[j];
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
