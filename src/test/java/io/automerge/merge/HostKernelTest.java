package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The fused Java passes on CPU must give the very bytes of the PyTorch path they stand in for,
 * on several slices per core, a ragged end and many tied magnitudes (multiples of 1/8).
 */
class HostKernelTest {
  private static final int N = 5 * Parts.SLICE + 333;
  private NDManager manager;

  @BeforeEach
  void open() {
    System.setProperty("ai.djl.offline", "true");
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    GeneralizedTaskArithmetic.pytorchOnly = false;
    manager.close();
  }

  private NDArray values(long seed, boolean tied) {
    Random r = new Random(seed);
    float[] v = new float[N];
    for (int i = 0; i < N; i++) {
      v[i] = tied ? (r.nextInt(17) - 8) / 8f : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2));
    }
    return manager.create(v, new Shape(N));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "task_arithmetic", "ties", "dare_linear", "dare_ties"})
  void javaPassIsBitIdenticalToThePyTorchPath(String technique) {
    MergeMethod method = MergeMethods.find(technique).orElseThrow();
    for (boolean tied : new boolean[] {false, true}) {
      NDArray base = values(1, tied);
      List<NDArray> sources = List.of(values(2, tied), values(3, tied), values(4, tied));
      for (boolean normalize : new boolean[] {false, true}) {
        Map<String, Object> raw = new java.util.HashMap<>();
        raw.put("weights", List.of(0.5, 0.3, 0.45));
        raw.put("normalize", normalize);
        if (method.parameter("density") != null) {
          raw.put("densities", List.of(0.3, 0.55, 0.9));
        }
        if (method.parameter("lambda") != null) {
          raw.put("lambda", 0.8);
        }
        ResolvedParams params = ParameterResolver.resolve(method, raw, Map.of(), 3, "test");
        float[] fast = method.merge(base, sources, params, new MaskKey(9, "w")).toFloatArray();
        GeneralizedTaskArithmetic.pytorchOnly = true;
        float[] slow = method.merge(base, sources, params, new MaskKey(9, "w")).toFloatArray();
        GeneralizedTaskArithmetic.pytorchOnly = false;
        for (int i = 0; i < N; i++) {
          assertThat(Float.floatToRawIntBits(fast[i])).as("%s tied=%s normalize=%s element %d: %s vs %s",
              technique, tied, normalize, i, fast[i], slow[i]).isEqualTo(Float.floatToRawIntBits(slow[i]));
        }
      }
    }
  }

  @Test
  void maskStreamReplaysSplittableRandom() {
    long seed = new MaskKey(3, "x").streamSeed(2);
    SplittableRandom random = new SplittableRandom(seed);
    MaskStream stream = new MaskStream(seed);
    for (long d = 0; d < 1000; d++) {
      long bits = random.nextLong();
      assertThat(stream.draw(d)).isEqualTo(bits);
      assertThat(stream.uniform(2 * d)).isEqualTo(bits >>> 32);
      assertThat(stream.uniform(2 * d + 1)).isEqualTo(bits & 0xffffffffL);
    }
  }

  @Test
  void maskStreamDrawsInBulkAsOneByOne() {
    MaskStream stream = new MaskStream(new MaskKey(5, "y").streamSeed(1));
    long[] bulk = new long[5000]; // past the offset table's 2048, from an odd start
    stream.draws(12_345, bulk.length, bulk);
    for (int d = 0; d < bulk.length; d++) {
      assertThat(bulk[d]).as("draw %d", 12_345 + d).isEqualTo(stream.draw(12_345 + d));
    }
  }

  @Test
  void magnitudeBandKeepsExactlyTheRankedEntries() {
    bandMatchesAStableSort(values(5, true), values(6, true), N);
  }

  @Test
  void sampledMagnitudeBandKeepsExactlyTheRankedEntries() {
    int n = (1 << 20) + 4321; // large enough for the sampled one-pass select
    for (boolean tied : new boolean[] {false, true}) {
      Random r = new Random(tied ? 8 : 9);
      float[] b = new float[n];
      float[] s = new float[n];
      for (int i = 0; i < n; i++) {
        b[i] = tied ? (r.nextInt(9) - 4) / 4f : (float) r.nextGaussian();
        s[i] = tied ? (r.nextInt(9) - 4) / 4f : (float) r.nextGaussian();
      }
      bandMatchesAStableSort(manager.create(b, new Shape(n)), manager.create(s, new Shape(n)), n);
    }
  }

  private void bandMatchesAStableSort(NDArray base, NDArray theta, int N) {
    float[] b = base.toFloatArray();
    float[] s = theta.toFloatArray();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      order.add(i);
    }
    // stable descending |tau|: equal magnitudes keep index order
    order.sort((x, y) -> Float.compare(Math.abs(s[y] - b[y]), Math.abs(s[x] - b[x])));
    long[][] bands = {{0, 1}, {0, N / 3}, {17, N - 5}, {N / 2, N / 2 + 1}, {100, N}, {N / 10, N * 9L / 10}};
    for (long[] band : bands) {
      MagnitudeBand select = MagnitudeBand.of(FloatInput.of(HostBuffers.floats(theta)), FloatInput.of(HostBuffers.floats(base)), N,
          band[0], band[1], Parts.of(N, 1));
      boolean[] want = new boolean[N];
      for (long r = band[0]; r < band[1]; r++) {
        want[order.get((int) r)] = true;
      }
      Parts parts = Parts.of(N, 1);
      boolean[] got = new boolean[N];
      for (int p = 0; p < parts.count(); p++) {
        MagnitudeBand.Cursor cursor = select.cursor(p);
        for (int i = parts.from(p); i < parts.to(p); i++) {
          got[i] = cursor.keep(MagnitudeBand.magnitudeBits(s[i] - b[i])) == 1f;
        }
      }
      assertThat(got).as("band [%d, %d)", band[0], band[1]).isEqualTo(want);
      // the slice-wise pass the kernel runs (vectorized where the boundaries' entries are known)
      int[] expected = new int[N];
      int[] applied = new int[N];
      for (int p = 0; p < parts.count(); p++) {
        MagnitudeBand.Cursor cursor = select.cursor(p);
        for (int at = parts.from(p); at < parts.to(p); at += 1000) {
          int len = Math.min(1000, parts.to(p) - at);
          float[] tau = new float[len];
          for (int j = 0; j < len; j++) {
            tau[j] = s[at + j] - b[at + j];
            expected[at + j] = Float.floatToRawIntBits(tau[j] * (want[at + j] ? 1f : 0f));
          }
          cursor.apply(at, tau, len);
          for (int j = 0; j < len; j++) {
            applied[at + j] = Float.floatToRawIntBits(tau[j]);
          }
        }
      }
      assertThat(applied).as("band [%d, %d) applied", band[0], band[1]).isEqualTo(expected);
    }
  }
}
