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

  /**
   * Every element against the definition, computed here independently: a stable sort per row,
   * element e kept when its uniform of the mask stream is below p of its rank, then tau / p.
   * Rows of odd length (draws shared across rows), tied magnitudes, a row crowded into one narrow
   * band with an outlier, and short rows.
   */
  @Test
  void matchesTheDefinitionElementByElement() {
    Random r = new Random(21);
    for (int m : new int[] {1001, 300, 37}) {
      int rows = 9;
      float[] base = new float[rows * m];
      float[] theta = new float[rows * m];
      for (int row = 0; row < rows; row++) {
        for (int j = 0; j < m; j++) {
          int i = row * m + j;
          base[i] = r.nextInt(5) - 2;
          float tau = switch (row % 3) {
            case 0 -> (r.nextInt(17) - 8) / 8f; // many ties
            case 1 -> j == 0 ? 1e-30f : 1f + r.nextInt(1 << 10) * 0x1p-23f; // one narrow band
            default -> (float) (r.nextGaussian() * 0.01);
          };
          theta[i] = base[i] + tau;
        }
      }
      double density = 0.55;
      double epsilon = 0.2;
      MergeMethod method = MergeMethods.find("della_linear").orElseThrow();
      ResolvedParams params = ParameterResolver.resolve(method,
          Map.of("density", density, "epsilon", epsilon), Map.of(), 1, "test");
      MaskKey key = new MaskKey(5, "layers.3.w");
      float[] merged = method.merge(manager.create(base, new Shape(rows, m)),
          List.of(manager.create(theta, new Shape(rows, m))), params, key).toFloatArray();
      MaskStream stream = new MaskStream(key.streamSeed(0));
      for (int row = 0; row < rows; row++) {
        float[] tau = new float[m];
        Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++) {
          tau[j] = theta[row * m + j] - base[row * m + j];
          order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Float.compare(Math.abs(tau[x]), Math.abs(tau[y])));
        for (int rank = 0; rank < m; rank++) {
          int j = order[rank];
          int e = row * m + j;
          double p = (density - epsilon) + 2 * epsilon * rank / (m - 1);
          float keep = stream.uniform(e) < MaskStream.threshold(p) ? 1f : 0f;
          float want = tau[j] * keep / (float) p + base[e];
          assertThat(Float.floatToRawIntBits(merged[e])).as("m %d row %d element %d", m, row, j)
              .isEqualTo(Float.floatToRawIntBits(want));
        }
      }
    }
  }
}
