package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogExpectedImprovementTest {
  /** E[max(e^{f*} − e^Y, 0)] for Y ~ N(m, s²) by the trapezoid rule. */
  private static double numeric(double incumbent, double m, double s) {
    int steps = 200_000;
    double lo = m - 12 * s;
    double hi = m + 12 * s;
    double h = (hi - lo) / steps;
    double sum = 0;
    for (int i = 0; i <= steps; i++) {
      double y = lo + i * h;
      double density = Math.exp(-0.5 * ((y - m) / s) * ((y - m) / s)) / (s * Math.sqrt(2 * Math.PI));
      double f = Math.max(Math.exp(incumbent) - Math.exp(y), 0) * density;
      sum += (i == 0 || i == steps) ? f / 2 : f;
    }
    return sum * h;
  }

  @Test
  void matchesTheExpectedImprovementOfTheExponentiatedPrediction() {
    double[][] cases = {{-2, -1.5, 0.8}, {-2, -3, 0.3}, {-0.5, -0.5, 1.2}, {-4, 0, 2}};
    for (double[] c : cases) {
      double ei = new LogExpectedImprovement(c[0]).value(c[1], c[2] * c[2]);
      assertThat(ei).as("f*=%s m=%s s=%s", c[0], c[1], c[2]).isCloseTo(numeric(c[0], c[1], c[2]), within(1e-6));
    }
  }

  @Test
  void prefersLowerMeansAndMoreUncertaintyAndNeverGoesNegative() {
    LogExpectedImprovement ei = new LogExpectedImprovement(-2);
    assertThat(ei.value(-2.5, 0.1)).isGreaterThan(ei.value(-1.5, 0.1));
    assertThat(ei.value(-1.0, 1.0)).isGreaterThan(ei.value(-1.0, 0.01));
    assertThat(ei.value(5, RandomForest.VARIANCE_FLOOR)).isEqualTo(0.0);
    assertThat(ei.value(-3, RandomForest.VARIANCE_FLOOR)).isCloseTo(Math.exp(-2) - Math.exp(-3), within(1e-6));
  }
}
