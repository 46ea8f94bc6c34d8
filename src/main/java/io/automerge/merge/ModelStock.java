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
  public Map<String, Object> searchParameters(List<Double> weights, Double density) {
    return Map.of(); // nothing to choose: the ratio follows from the models
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
      for (int i = 0; i < models; i++) {
        for (int k = i; k < models; k++) {
          double dot = 0;
          for (int j = 0; j < l; j++) {
            dot += (double) o[i][j] * o[k][j];
          }
          sums[i * models + k] += dot;
        }
      }
    }
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
