package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelStockRatioTest {
  @Test
  void offsetsThatCancelExactlyKeepTheBaseInsteadOfDividingByZero() {
    // Gram sums of two one-element offsets +1 and -1: cos = -1, so 1 + (N - 1) cos = 0.
    double[] sums = {1, -1, -1, 1};
    float[] ratio = ModelStock.ratio(sums, 2);
    assertThat(ratio[0]).isEqualTo(0f);
    assertThat(ratio[1]).isEqualTo(1f);
    // Orthogonal offsets: cos = 0, t = 0; parallel ones: t = 1.
    assertThat(ModelStock.ratio(new double[] {1, 0, 0, 1}, 2)[0]).isEqualTo(0f);
    assertThat(ModelStock.ratio(new double[] {1, 1, 1, 1}, 2)[0]).isEqualTo(1f);
  }
}
