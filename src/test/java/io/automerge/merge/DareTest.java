package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DARE by structure: numpy cannot replay Java's random stream, so these tests check what every
 * element must satisfy, and check the mask stream itself.
 */
class DareTest {
  // more than two CPU chunks, odd: exercises slicing and the mask stream across slices
  private static final int N = 2 * Chunks.CPU_CHUNK + 12_345;
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

  private NDArray random(long seed, float scale, float[] shift) {
    Random r = new Random(seed);
    float[] v = new float[N];
    for (int i = 0; i < N; i++) {
      v[i] = (shift == null ? 0 : shift[i]) + scale * (float) r.nextGaussian();
    }
    return manager.create(v, new Shape(N));
  }

  private static ResolvedParams params(MergeMethod method, Map<String, Object> raw, int models) {
    return ParameterResolver.resolve(method, raw, Map.of(), models, "test");
  }

  @Test
  void keptEntriesAreRescaledByOneOverDensityAndTheKeptFractionIsTheDensity() {
    float[] base = random(1, 1f, null).toFloatArray();
    NDArray theta0 = manager.create(base, new Shape(N));
    NDArray theta1 = random(2, 0.1f, base);
    double density = 0.7;
    NDArray out = GeneralizedTaskArithmetic.DARE_LINEAR.merge(theta0, List.of(theta1),
        params(GeneralizedTaskArithmetic.DARE_LINEAR, Map.of("density", density), 1), new MaskKey(7, "w"));

    float[] merged = out.toFloatArray();
    float[] source = theta1.toFloatArray();
    int kept = 0;
    for (int i = 0; i < N; i++) {
      float tau = source[i] - base[i];
      float delta = merged[i] - base[i];
      boolean isKept = Math.abs(delta - tau / (float) density) <= 1e-5f;
      boolean isDropped = Math.abs(delta) <= 1e-6f;
      assertThat(isKept || isDropped).as("element %d: delta %s, tau %s", i, delta, tau).isTrue();
      kept += isKept ? 1 : 0;
    }
    assertThat(kept / (double) N).isBetween(density - 0.02, density + 0.02);
  }

  @Test
  void dareLinearAndDareTiesFollowTheFormulaWithTheJavaMask() {
    float[] base = random(3, 1f, null).toFloatArray();
    NDArray theta0 = manager.create(base, new Shape(N));
    List<NDArray> sources = List.of(random(4, 0.1f, base), random(5, 0.1f, base));
    double[] w = {0.6, 0.4};
    double[] rho = {0.5, 0.8};
    float lambda = 1.3f;
    MaskKey key = new MaskKey(11, "layers.0.w");
    float[][] tauHat = new float[2][N];
    for (int m = 0; m < 2; m++) {
      ByteBuffer mask = DareMask.keepBytes(N, key.streamSeed(m), rho[m]);
      float[] theta = sources.get(m).toFloatArray();
      int kept = 0;
      for (int i = 0; i < N; i++) {
        boolean keep = mask.get(i) == 1;
        kept += keep ? 1 : 0;
        tauHat[m][i] = keep ? (theta[i] - base[i]) / (float) rho[m] : 0f;
      }
      assertThat(kept / (double) N).isBetween(rho[m] - 0.02, rho[m] + 0.02);
    }
    Map<String, Object> raw = Map.of("weights", List.of(0.6, 0.4), "densities", List.of(0.5, 0.8), "lambda", 1.3);

    float[] linear = GeneralizedTaskArithmetic.DARE_LINEAR.merge(theta0, sources,
        params(GeneralizedTaskArithmetic.DARE_LINEAR, raw, 2), key).toFloatArray();
    float[] ties = GeneralizedTaskArithmetic.DARE_TIES.merge(theta0, sources,
        params(GeneralizedTaskArithmetic.DARE_TIES, raw, 2), key).toFloatArray();

    for (int i = 0; i < N; i++) {
      float sum = (float) w[0] * tauHat[0][i] + (float) w[1] * tauHat[1][i];
      assertThat(linear[i]).as("dare_linear %d", i).isCloseTo(base[i] + lambda * sum, org.assertj.core.data.Offset.offset(1e-5f));
      float gamma = sum >= 0 ? 1 : -1;
      float agreeing = 0;
      for (int m = 0; m < 2; m++) {
        if (Math.signum(tauHat[m][i]) == gamma) {
          agreeing += (float) w[m] * tauHat[m][i];
        }
      }
      assertThat(ties[i]).as("dare_ties %d", i).isCloseTo(base[i] + lambda * agreeing, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void l1RescaleKeepsTheSumOfMagnitudes() {
    float[] base = random(6, 1f, null).toFloatArray();
    NDArray theta0 = manager.create(base, new Shape(N));
    NDArray theta1 = random(7, 0.1f, base);
    NDArray out = GeneralizedTaskArithmetic.DARE_LINEAR.merge(theta0, List.of(theta1),
        params(GeneralizedTaskArithmetic.DARE_LINEAR, Map.of("density", 0.3, "rescale", "l1"), 1),
        new MaskKey(1, "x"));

    double before = theta1.sub(theta0).abs().sum().getFloat();
    double after = out.sub(theta0).abs().sum().getFloat();
    assertThat(after).isCloseTo(before, org.assertj.core.data.Percentage.withPercentage(0.01));
  }

  @Test
  void theMaskStreamIsAFunctionOfSeedNameAndModelOnly() {
    MaskKey key = new MaskKey(7, "layers.3.mlp.weight");
    assertThat(new MaskKey(7, "layers.3.mlp.weight").streamSeed(1)).isEqualTo(key.streamSeed(1));
    assertThat(key.streamSeed(0)).isNotEqualTo(key.streamSeed(1));
    assertThat(new MaskKey(8, "layers.3.mlp.weight").streamSeed(0)).isNotEqualTo(key.streamSeed(0));
    assertThat(new MaskKey(7, "layers.4.mlp.weight").streamSeed(0)).isNotEqualTo(key.streamSeed(0));

    ByteBuffer a = DareMask.keepBytes(10_001, key.streamSeed(0), 0.5);
    ByteBuffer b = DareMask.keepBytes(10_001, key.streamSeed(0), 0.5);
    ByteBuffer c = DareMask.keepBytes(10_001, key.streamSeed(1), 0.5);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(DareMask.keepBytes(1000, 5, 1.0).remaining()).isEqualTo(1000);
    ByteBuffer all = DareMask.keepBytes(1000, 5, 1.0);
    for (int i = 0; i < 1000; i++) {
      assertThat(all.get(i)).isEqualTo((byte) 1);
    }
  }
}
