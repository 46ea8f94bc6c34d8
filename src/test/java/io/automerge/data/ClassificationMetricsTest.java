package io.automerge.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  @Test
  void aNanOutputIsNeverCountedAsCorrect() {
    try (NDManager m = NDManager.newBaseManager()) {
      float nan = Float.NaN;
      // Image 0: true class 2 scores highest. Image 1: all NaN (a broken merge). Image 2: one NaN logit.
      var outputs = m.create(new float[] {0, 1, 5, 0, 0, 0, nan, nan, nan, nan, nan, nan, 0, nan, 3, 0, 0, 0}, new Shape(3, 6));
      var labels = m.create(new long[] {2, 2, 2}, new Shape(3));
      ClassificationMetrics metrics = new ClassificationMetrics();
      metrics.add(outputs, labels);
      assertThat(metrics.metrics().get("top1")).isEqualTo(1.0 / 3);
      assertThat(metrics.metrics().get("top5")).isEqualTo(1.0 / 3);
      assertThat(metrics.meanLoss()).isNaN();
    }
  }
}
