package io.automerge.search;

import org.apache.commons.math3.special.Erf;

/**
 * Expected improvement for a model of log-scaled costs (SMAC3's EI with log=True): with m, s the
 * predicted mean and standard deviation of y' and f* the incumbent's predicted y',
 * EI = e^{f*} Φ(v) − e^{m + s²/2} Φ(v − s), v = (f* − m)/s — the expected improvement of e^{y'},
 * which is linear in the cost. Cancellation can give tiny negatives; they count as 0.
 */
final class LogExpectedImprovement {
  private final double incumbent;

  /** @param incumbent f*, the lowest predicted mean among the points the forest was trained on */
  LogExpectedImprovement(double incumbent) {
    this.incumbent = incumbent;
  }

  double value(double mean, double variance) {
    double s = Math.sqrt(variance);
    double v = (incumbent - mean) / s;
    double ei = Math.exp(incumbent) * normalCdf(v) - Math.exp(mean + 0.5 * variance) * normalCdf(v - s);
    return ei > 0 && Double.isFinite(ei) ? ei : 0.0;
  }

  void values(double[] mean, double[] variance, double[] out) {
    for (int i = 0; i < mean.length; i++) {
      out[i] = value(mean[i], variance[i]);
    }
  }

  static double normalCdf(double x) {
    return 0.5 * Erf.erfc(-x / Math.sqrt(2));
  }
}
