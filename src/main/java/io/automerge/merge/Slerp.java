package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.merge.ParameterSpec.Range;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spherical linear interpolation between exactly two models, per tensor: with unit copies u0, u1
 * of the flattened tensors (a norm of at most 1e-8 leaves a vector as it is) and d = u0 . u1,
 * the result is (1 - t) v0 + t v1 where |d| > 0.9995 (nearly colinear), else
 * [sin((1 - t) theta) v0 + sin(t theta) v1] / sin(theta) with theta = arccos(d), on the original
 * vectors. t = 0 gives the first model. A mergekit recipe's endpoints are its base and its one
 * other model; a search's are its two source models, with t the second one's weight.
 */
public final class Slerp implements MergeMethod, HostKernel {
  static final Slerp INSTANCE = new Slerp();

  private static final double COLINEAR = 0.9995;
  private static final double TINY_NORM = 1e-8;

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.number("t", ParameterSpec.Scope.GLOBAL, Double.NaN, Range.closed(0, 1),
          "interpolation factor: 0 gives the first model (mergekit: the base), 1 the second")
          .searched(Range.closed(0, 1), 0.5));

  private Slerp() {}

  @Override
  public String name() {
    return "slerp";
  }

  @Override
  public String prettyName() {
    return "SLERP";
  }

  @Override
  public String paperUrl() {
    return "https://en.wikipedia.org/wiki/Slerp";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public boolean needsBase() {
    return false;
  }

  @Override
  public int minModels() {
    return 2;
  }

  @Override
  public int maxModels() {
    return 2;
  }

  /**
   * A choice recorded before slerp searched its own {@code t} carried only weights, and t was the
   * second endpoint's share of them: such a choice still means what it merged.
   */
  @Override
  public Map<String, Double> settle(List<Double> weights, Map<String, Double> chosen) {
    if (!chosen.containsKey("t") && weights.size() == 2) {
      double sum = weights.get(0) + weights.get(1);
      chosen.put("t", sum > 0 ? weights.get(1) / sum : 0.5);
    }
    return chosen;
  }

  @Override
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    if (sources.size() != 2) {
      throw new IllegalArgumentException("slerp interpolates exactly two models, got " + sources.size());
    }
    double t = params.number("t");
    try (NDManager scope = resultManager.newSubManager()) {
      NDArray first = sources.load(0, scope);
      Shape shape = first.getShape();
      int n = HostBuffers.checkedSize(shape, "slerp");
      FloatInput v0 = FloatInput.of(HostBuffers.floats(first));
      FloatInput v1 = FloatInput.of(HostBuffers.floats(sources.load(1, scope)));
      return HostBuffers.fillOnHost(resultManager, shape, DataType.FLOAT32,
          out -> mergeOnHost(null, new FloatInput[] {v0, v1}, shape, params, key, out.asFloatBuffer()));
    }
  }

  @Override
  public boolean hostPass(ResolvedParams params) {
    return true;
  }

  @Override
  public void mergeOnHost(FloatInput base, FloatInput[] sources, Shape shape, ResolvedParams params, MaskKey key,
      FloatBuffer out) {
    if (sources.length != 2) {
      throw new IllegalArgumentException("slerp interpolates exactly two models, got " + sources.length);
    }
    int n = HostBuffers.checkedSize(shape, "slerp");
    float[] c = coefficients(sources[0], sources[1], n, params.number("t"));
    blend(sources[0], sources[1], n, c[0], c[1], out);
  }

  /** {c0, c1} with result = c0 v0 + c1 v1. */
  static float[] coefficients(FloatInput v0, FloatInput v1, int n, double t) {
    double[] sums = SliceSums.of(n, 3, (start, len, acc) -> {
      float[][] buffers = Scratch.floats(2, len);
      float[] a = buffers[0];
      float[] b = buffers[1];
      v0.get(start, a, 0, len);
      v1.get(start, b, 0, len);
      double aa = 0;
      double bb = 0;
      double ab = 0;
      for (int j = 0; j < len; j++) {
        aa += (double) a[j] * a[j];
        bb += (double) b[j] * b[j];
        ab += (double) a[j] * b[j];
      }
      acc[0] += aa;
      acc[1] += bb;
      acc[2] += ab;
    });
    double norm0 = Math.sqrt(sums[0]);
    double norm1 = Math.sqrt(sums[1]);
    double d = sums[2] / (norm0 > TINY_NORM ? norm0 : 1) / (norm1 > TINY_NORM ? norm1 : 1);
    if (Math.abs(d) > COLINEAR) {
      return new float[] {(float) (1 - t), (float) t};
    }
    double theta = Math.acos(d);
    double sin = Math.sin(theta);
    return new float[] {(float) (Math.sin((1 - t) * theta) / sin), (float) (Math.sin(t * theta) / sin)};
  }

  private static void blend(FloatInput v0, FloatInput v1, int n, float c0, float c1, FloatBuffer out) {
    Parts.of(n, 1).forEach((part, from, to) -> {
      float[] a = new float[Parts.SLICE];
      float[] b = new float[Parts.SLICE];
      for (int start = from; start < to; start += Parts.SLICE) {
        int len = Math.min(Parts.SLICE, to - start);
        v0.get(start, a, 0, len);
        v1.get(start, b, 0, len);
        for (int j = 0; j < len; j++) {
          a[j] = c0 * a[j] + c1 * b[j];
        }
        out.put(start, a, 0, len);
      }
    });
  }
}
