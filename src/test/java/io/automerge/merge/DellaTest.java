package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELLA's MAGPRUNE by structure, on rows long enough for the statistics to be tight. */
class DellaTest {
  private static final int ROWS = 40;
  private static final int M = 2000;
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

  private float[] gaussian(long seed, float scale) {
    Random r = new Random(seed);
    float[] v = new float[ROWS * M];
    for (int i = 0; i < v.length; i++) {
      v[i] = scale * (float) r.nextGaussian();
    }
    return v;
  }

  private float[] della(float[] base, float[] theta, long seed, double density, double epsilon) {
    MergeMethod method = MergeMethods.find("della_linear").orElseThrow();
    ResolvedParams params = ParameterResolver.resolve(method,
        Map.of("density", density, "epsilon", epsilon), Map.of(), 1, "test");
    NDArray b = manager.create(base, new Shape(ROWS, M));
    NDArray s = manager.create(theta, new Shape(ROWS, M));
    return method.merge(b, List.of(s), params, new MaskKey(seed, "layers.0.w")).toFloatArray();
  }

  @Test
  void keepsAboutDensityPerRowFavoursLargeEntriesAndRescalesByExactlyOneOverP() {
    float[] base = gaussian(1, 1f);
    float[] delta = gaussian(2, 0.1f);
    float[] theta = new float[base.length];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = base[i] + delta[i];
    }
    double density = 0.5;
    double epsilon = 0.3;
    float[] merged = della(base, theta, 7, density, epsilon);

    int topKept = 0;
    int bottomKept = 0;
    for (int row = 0; row < ROWS; row++) {
      float[] tau = new float[M];
      Integer[] order = new Integer[M];
      for (int j = 0; j < M; j++) {
        tau[j] = theta[row * M + j] - base[row * M + j];
        order[j] = j;
      }
      Arrays.sort(order, (x, y) -> Float.compare(Math.abs(tau[x]), Math.abs(tau[y]))); // ascending, stable
      int kept = 0;
      for (int r = 0; r < M; r++) {
        int j = order[r];
        float got = merged[row * M + j] - base[row * M + j];
        float p = (float) ((density - epsilon) + 2 * epsilon * r / (M - 1));
        boolean keptHere = merged[row * M + j] != base[row * M + j];
        if (keptHere) {
          kept++;
          // the merge adds tau / p to the base: exactly what float32 gives for that sum
          assertThat(merged[row * M + j]).isEqualTo(base[row * M + j] + tau[j] / p);
          topKept += r >= M * 4 / 5 ? 1 : 0;
          bottomKept += r < M / 5 ? 1 : 0;
        } else {
          assertThat(got).isEqualTo(0f);
        }
      }
      assertThat(kept / (double) M).as("row %d kept fraction", row).isBetween(density - 0.05, density + 0.05);
    }
    // expected keep probabilities: top fifth ~ 0.74, bottom fifth ~ 0.26
    assertThat(topKept / (double) (ROWS * M / 5)).isBetween(0.69, 0.79);
    assertThat(bottomKept / (double) (ROWS * M / 5)).isBetween(0.21, 0.31);
  }

  @Test
  void masksAreAPureFunctionOfSeedTensorAndModel() {
    float[] base = gaussian(3, 1f);
    float[] theta = gaussian(4, 1f);
    float[] once = della(base, theta, 11, 0.6, 0.1);
    assertThat(della(base, theta, 11, 0.6, 0.1)).isEqualTo(once);
    assertThat(della(base, theta, 12, 0.6, 0.1)).isNotEqualTo(once);
  }

  @Test
  void breadcrumbsKeepsExactlyDensityTimesNEntries() {
    float[] base = gaussian(5, 1f);
    float[] theta = gaussian(6, 1f);
    MergeMethod method = MergeMethods.find("breadcrumbs").orElseThrow();
    for (double gamma : new double[] {0, 0.01, 0.3}) {
      ResolvedParams params = ParameterResolver.resolve(method,
          Map.of("density", 0.6, "gamma", gamma), Map.of(), 1, "test");
      float[] merged = method.merge(manager.create(base, new Shape(ROWS, M)),
          List.of(manager.create(theta, new Shape(ROWS, M))), params, new MaskKey(1, "w")).toFloatArray();
      int kept = 0;
      for (int i = 0; i < merged.length; i++) {
        kept += merged[i] != base[i] ? 1 : 0;
      }
      assertThat(kept).as("gamma %s", gamma).isEqualTo((int) Math.floor(0.6 * ROWS * M));
    }
  }
}
