package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MagnitudeTrimTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    System.setProperty("ai.djl.offline", "true");
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private boolean[] mask(float[] tau, double density) {
    NDArray m = MagnitudeTrim.keepMask(manager, manager.create(tau), density);
    if (m == null) {
      boolean[] all = new boolean[tau.length];
      java.util.Arrays.fill(all, true);
      return all;
    }
    return m.toBooleanArray();
  }

  @Test
  void keepsExactlyKAndBreaksTiesAtTheThresholdByLowestIndex() {
    float[] tau = {1f, -2f, 2f, 2f, 0.5f, -2f};
    // k = floor(0.5 * 6) = 3 of the four entries with |tau| = 2: indices 1, 2, 3
    assertThat(mask(tau, 0.5)).containsExactly(false, true, true, true, false, false);
    // k = 5: all four 2s and the 1
    assertThat(mask(tau, 0.9)).containsExactly(true, true, true, true, false, true);
  }

  @Test
  void keepsAtLeastOneAndEverythingAtDensityOne() {
    float[] tau = {0.1f, -0.3f, 0.2f};
    assertThat(mask(tau, 0.01)).containsExactly(false, true, false);
    assertThat(mask(tau, 1.0)).containsExactly(true, true, true);
  }

  @Test
  void handlesTensorsBeyondQuantilesLimitOf2To24Elements() {
    int n = (1 << 24) + 3;
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (i - n / 2.0); // float32 cannot count past 2^24: many equal magnitudes
    }
    NDArray tau = manager.create(values);
    NDArray mask = MagnitudeTrim.keepMask(manager, tau, 0.25);
    long k = (long) Math.floor(0.25 * n);
    assertThat(mask.toType(DataType.INT64, false).sum().getLong()).isEqualTo(k);
    // the kept entries are the largest magnitudes: none smaller than any dropped one
    NDArray magnitude = tau.abs();
    float smallestKept = magnitude.get(mask).min().getFloat();
    float largestDropped = magnitude.get(mask.logicalNot()).max().getFloat();
    assertThat(smallestKept).isGreaterThanOrEqualTo(largestDropped);
  }
}
