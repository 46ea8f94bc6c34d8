package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Model Stock: how far to move from the base toward the models' average follows from the angle
 * between their offsets o_i = theta_i - theta_0. Per tensor (with {@code filter_wise}, per row),
 * cos is the mean over pairs i < j of o_i . o_j / max(|o_i| |o_j|, 1e-6), clamped to [-1, 1];
 * t = N cos / (1 + (N - 1) cos) (0 where that divides by zero); the result is t * mean(theta_i) + (1 - t) * theta_0. No weights.
 */
public final class ModelStock implements MergeMethod, HostKernel {
  static final ModelStock INSTANCE = new ModelStock();

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.flag("filter_wise", false, "one ratio per row instead of per tensor"));

  private ModelStock() {}

  @Override
  public String name() {
    return "model_stock";
  }

  @Override
  public String prettyName() {
    return "Model Stock";
  }

  @Override
  public String paperUrl() {
    return "https://arxiv.org/abs/2403.19522";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public boolean needsBase() {
    return true;
  }

  @Override
  public int minModels() {
    return 2;
  }

  @Override
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    if (base == null) {
      throw new IllegalArgumentException("model_stock needs a base tensor");
    }
    Shape shape = base.getShape();
    try (NDManager scope = resultManager.newSubManager()) {
      FloatInput theta0 = FloatInput.of(HostBuffers.floats(base));
      FloatInput[] thetas = new FloatInput[sources.size()];
      for (int i = 0; i < thetas.length; i++) {
        thetas[i] = FloatInput.of(HostBuffers.floats(sources.load(i, scope)));
      }
      return HostBuffers.fillOnHost(resultManager, shape, DataType.FLOAT32,
          out -> mergeOnHost(theta0, thetas, shape, params, key, out.asFloatBuffer()));
    }
  }

  @Override
  public boolean hostPass(ResolvedParams params) {
    return true;
  }

  @Override
  public void mergeOnHost(FloatInput theta0, FloatInput[] thetas, Shape shape, ResolvedParams params, MaskKey key,
      FloatBuffer result) {
    int models = thetas.length;
    int n = HostBuffers.checkedSize(shape, "model_stock");
    if (!params.flag("filter_wise")) {
      double[] sums = SliceSums.of(n, models * models, (start, len, acc) -> gram(theta0, thetas, start, len, acc));
      float[] ratio = ratio(sums, models);
      Parts.of(n, 1).forEach((part, from, to) -> blend(theta0, thetas, from, to, ratio[0], ratio[1], result));
      return;
    }
    int row = HostBuffers.rowLength(shape);
    Parts.of(n, row).forEach((part, from, to) -> {
      for (int start = from; start < to; start += row) {
        double[] sums = new double[models * models];
        gram(theta0, thetas, start, row, sums);
        float[] ratio = ratio(sums, models);
        blend(theta0, thetas, start, start + row, ratio[0], ratio[1], result);
      }
    });
  }

  /** sums[i * N + j] += o_i . o_j over [start, start + len), in slices. */
  private static void gram(FloatInput theta0, FloatInput[] thetas, int start, int len, double[] sums) {
    int models = thetas.length;
    int slice = Math.min(Parts.SLICE, Math.max(1, len));
    float[][] buffers = Scratch.floats(models + 1, slice);
    float[] b = buffers[models];
    float[][] o = buffers;
    for (int at = start; at < start + len; at += slice) {
      int l = Math.min(slice, start + len - at);
      theta0.get(at, b, 0, l);
      for (int i = 0; i < models; i++) {
        thetas[i].get(at, o[i], 0, l);
        for (int j = 0; j < l; j++) {
          o[i][j] = o[i][j] - b[j];
        }
      }
      // Pairs four at a time in one loop: each dot product is a chain of dependent double adds
      // (their order fixes the bits), so one loop per pair waits on the add latency; four
      // independent chains in one loop overlap it, and each chain still adds in index order.
      int pairs = models * (models + 1) / 2;
      for (int first = 0; first < pairs; first += 4) {
        int[] a = new int[4];
        int[] c = new int[4];
        int count = Math.min(4, pairs - first);
        for (int q = 0; q < 4; q++) {
          int pair = first + Math.min(q, count - 1); // a short group repeats its last pair
          a[q] = pairRow(pair, models);
          c[q] = pair - pairStart(a[q], models) + a[q];
        }
        double[] dots = dots4(o[a[0]], o[c[0]], o[a[1]], o[c[1]], o[a[2]], o[c[2]], o[a[3]], o[c[3]], l);
        for (int q = 0; q < count; q++) {
          sums[a[q] * models + c[q]] += dots[q];
        }
      }
    }
  }

  /** The first pair index of row i among the pairs (i, k), k >= i, listed row by row. */
  private static int pairStart(int i, int models) {
    return i * models - i * (i - 1) / 2;
  }

  private static int pairRow(int pair, int models) {
    int i = 0;
    while (pairStart(i + 1, models) <= pair) {
      i++;
    }
    return i;
  }

  /** Four dot products in index order, each in double, as four independent chains. */
  private static double[] dots4(float[] a0, float[] b0, float[] a1, float[] b1, float[] a2, float[] b2,
      float[] a3, float[] b3, int len) {
    double d0 = 0;
    double d1 = 0;
    double d2 = 0;
    double d3 = 0;
    for (int j = 0; j < len; j++) {
      d0 += (double) a0[j] * b0[j];
      d1 += (double) a1[j] * b1[j];
      d2 += (double) a2[j] * b2[j];
      d3 += (double) a3[j] * b3[j];
    }
    return new double[] {d0, d1, d2, d3};
  }

  /** {t, 1 - t} as floats, from the offsets' Gram sums. */
  static float[] ratio(double[] sums, int models) {
    double cos = 0;
    int pairs = 0;
    for (int i = 0; i < models; i++) {
      for (int k = i + 1; k < models; k++) {
        double norms = Math.sqrt(sums[i * models + i]) * Math.sqrt(sums[k * models + k]);
        cos += sums[i * models + k] / Math.max(norms, 1e-6);
        pairs++;
      }
    }
    cos = Math.max(-1, Math.min(1, cos / pairs));
    double t = models * cos / (1 + (models - 1) * cos);
    if (!Double.isFinite(t)) {
      // cos = -1/(N-1): offsets cancel exactly (e.g. a one-element tensor, two models of opposite sign); keep the base.
      t = 0;
    }
    return new float[] {(float) t, (float) (1 - t)};
  }

  private static void blend(FloatInput theta0, FloatInput[] thetas, int from, int to, float t, float rest,
      FloatBuffer out) {
    float count = thetas.length;
    int slice = Math.min(Parts.SLICE, Math.max(1, to - from));
    float[] b = new float[slice];
    float[] s = new float[slice];
    float[] acc = new float[slice];
    for (int start = from; start < to; start += slice) {
      int len = Math.min(slice, to - start);
      theta0.get(start, b, 0, len);
      for (int i = 0; i < thetas.length; i++) {
        thetas[i].get(start, i == 0 ? acc : s, 0, len);
        if (i > 0) {
          for (int j = 0; j < len; j++) {
            acc[j] = acc[j] + s[j];
          }
        }
      }
      for (int j = 0; j < len; j++) {
        acc[j] = t * (acc[j] / count) + rest * b[j];
      }
      out.put(start, acc, 0, len);
    }
  }
}
