package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.merge.ParameterSpec.Range;
import io.automerge.merge.ParameterSpec.Scope;
import java.util.Collections;
import java.util.List;

/** Weighted average of the sources: sum(w_i * theta_i) / sum(w_i). No base needed. */
public final class LinearMerge implements MergeMethod, HostKernel {

  static final LinearMerge INSTANCE = new LinearMerge();

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.number("weight", Scope.PER_MODEL, 1.0, Range.anyFinite(), "relative weight of each model")
          .searched(Range.closed(0, 1), 0.5),
      ParameterSpec.flag("normalize", true, "divide by the sum of the weights"));

  private LinearMerge() {}

  /**
   * Normalized, so only the weights' ratios count, and all zero has none (a recipe refuses it):
   * equal weights, the limit of weights shrinking together. A search near the base plan's zero
   * weights proposes such choices.
   */
  @Override
  public List<Double> settleWeights(List<Double> weights) {
    return weights.stream().allMatch(w -> w == 0) ? Collections.nCopies(weights.size(), 1.0 / weights.size()) : weights;
  }

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public String prettyName() {
    return "Linear";
  }

  @Override
  public String paperUrl() {
    return "https://arxiv.org/abs/2203.05482";
  }

  /** Element-wise, one pass: 30 % of a memory copy (issue 14). */
  @Override
  public double speedTargetPercent() {
    return 30;
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
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    double[] weights = params.values("weight");
    double sum = sum(weights);
    boolean normalize = params.flag("normalize");
    if (normalize && sum == 0) {
      throw new IllegalArgumentException("linear weights sum to 0"); // the recipe check says so first
    }
    try (NDManager scope = resultManager.newSubManager()) {
      NDArray first = sources.load(0, scope);
      Shape shape = first.getShape();
      int n = HostBuffers.checkedSize(shape, "linear");
      if (Devices.isCpu(first.getDevice()) && hostPass(params)) {
        FloatInput[] thetas = new FloatInput[sources.size()];
        for (int i = 0; i < thetas.length; i++) {
          thetas[i] = FloatInput.of(HostBuffers.floats(i == 0 ? first : sources.load(i, scope)));
        }
        return HostBuffers.fillOnHost(resultManager, shape, DataType.FLOAT32,
            out -> mergeOnHost(null, thetas, shape, params, key, out.asFloatBuffer()));
      }
      NDArray[] flats = new NDArray[sources.size()];
      for (int i = 0; i < flats.length; i++) {
        flats[i] = Chunks.flat(scope, i == 0 ? first : sources.load(i, scope), n);
      }
      NDArray result = Scopes.own(scope, scope.create(new Shape(n), DataType.FLOAT32));
      int chunk = Chunks.chunkSize(first, n);
      for (int start = 0; start < n; start += chunk) {
        int end = Math.min(n, start + chunk);
        try (NDManager step = scope.newSubManager()) {
          NDArray acc = Scopes.own(step, Chunks.slice(step, flats[0], start, end).mul((float) weights[0]));
          for (int i = 1; i < flats.length; i++) {
            acc.addi(Scopes.own(step, Chunks.slice(step, flats[i], start, end).mul((float) weights[i])));
          }
          if (normalize) {
            acc.divi((float) sum);
          }
          Chunks.write(result, start, end, acc);
        }
      }
      return Scopes.own(resultManager, result.reshape(shape));
    }
  }

  private static double sum(double[] weights) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    return sum;
  }

  @Override
  public boolean hostPass(ResolvedParams params) {
    return !GeneralizedTaskArithmetic.pytorchOnly;
  }

  @Override
  public void mergeOnHost(FloatInput base, FloatInput[] sources, Shape shape,
      ResolvedParams params, MaskKey key, java.nio.FloatBuffer out) {
    double[] weights = params.values("weight");
    double sum = sum(weights);
    boolean normalize = params.flag("normalize");
    if (normalize && sum == 0) {
      throw new IllegalArgumentException("linear weights sum to 0"); // the recipe check says so first
    }
    onHost(sources, weights, normalize, normalize ? (float) sum : 1f, HostBuffers.checkedSize(shape, "linear"), out);
  }

  /** The same operations in the same order as the PyTorch path, fused into one pass per slice. */
  private static void onHost(FloatInput[] thetas, double[] weights, boolean normalize, float divisor,
      int n, java.nio.FloatBuffer out) {
    Parts.of(n, 1).forEach((part, from, to) -> {
      float[] s = new float[Parts.SLICE];
      float[] acc = new float[Parts.SLICE];
      for (int start = from; start < to; start += Parts.SLICE) {
        int len = Math.min(Parts.SLICE, to - start);
        for (int i = 0; i < thetas.length; i++) {
          float w = (float) weights[i];
          if (i == 0) {
            thetas[0].get(start, acc, 0, len);
            for (int j = 0; j < len; j++) {
              acc[j] = acc[j] * w;
            }
          } else {
            thetas[i].get(start, s, 0, len);
            for (int j = 0; j < len; j++) {
              acc[j] = acc[j] + s[j] * w;
            }
          }
        }
        if (normalize) {
          for (int j = 0; j < len; j++) {
            acc[j] = acc[j] / divisor;
          }
        }
        out.put(start, acc, 0, len);
      }
    });
  }
}
