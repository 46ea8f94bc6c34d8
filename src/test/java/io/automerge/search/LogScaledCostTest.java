package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogScaledCostTest {
  @Test
  void followsSmacsLogScaledEncoder() {
    double[] costs = {3, 1, 5, 2, 4};
    // numpy.percentile([1..5], 5) = 1.2, so min' = 1 - 0.2 - 1e-10.
    double lowered = 0.8 - 1e-10;
    double[] y = LogScaledCost.transform(costs);
    for (int i = 0; i < costs.length; i++) {
      assertThat(y[i]).isCloseTo(Math.log((costs[i] - lowered) / (5 - lowered)), within(1e-12));
    }
    assertThat(y[2]).isCloseTo(0.0, within(1e-12));
    assertThat(y[1]).isLessThan(y[3]);
  }

  @Test
  void equalCostsStayFinite() {
    double[] y = LogScaledCost.transform(new double[] {2, 2, 2});
    for (double v : y) {
      assertThat(v).isFinite();
    }
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    assertThat(LogScaledCost.percentile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5)).isCloseTo(1.45, within(1e-12));
    assertThat(LogScaledCost.percentile(new double[] {4}, 5)).isEqualTo(4);
  }
}
