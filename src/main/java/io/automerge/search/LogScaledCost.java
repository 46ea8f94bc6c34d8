package io.automerge.search;

import java.util.Arrays;

/**
 * The cost transform the surrogate is trained on, as SMAC3's RunHistoryLogScaledEncoder does it:
 * min' = min − (p5 − min) − 1e-10 with p5 the 5th percentile of the costs (numpy's linear
 * interpolation); if min' equals max it is multiplied by 1 − 1e-10; then
 * y' = log((c − min') / (max − min')). So y' ≤ 0, the best cost maps to a finite value a little
 * below the others, and differences among good costs are stretched.
 */
final class LogScaledCost {
  static final double VERY_SMALL_NUMBER = 1e-10;
  private static final double PERCENTILE = 5.0;

  private LogScaledCost() {}

  static double[] transform(double[] costs) {
    if (costs.length == 0) {
      return new double[0];
    }
    double[] sorted = costs.clone();
    Arrays.sort(sorted);
    double min = sorted[0];
    double max = sorted[sorted.length - 1];
    double lowered = min - (percentile(sorted, PERCENTILE) - min) - VERY_SMALL_NUMBER;
    if (lowered == max) {
      lowered *= 1 - 1e-10;
    }
    double[] scaled = new double[costs.length];
    for (int i = 0; i < costs.length; i++) {
      scaled[i] = Math.log((costs[i] - lowered) / (max - lowered));
    }
    return scaled;
  }

  /** numpy.percentile with the default linear interpolation, on an already sorted array. */
  static double percentile(double[] sorted, double percent) {
    double position = percent / 100.0 * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  }
}
