package io.automerge.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * Functional layers shared by the architectures. Every op takes the activation as its receiver so
 * that results land in the activation's (per-batch) manager, never in the parameters' manager.
 */
public final class Layers {
  private Layers() {}

  /** {@code x @ w.T + b} with HF/DJL weight layout {@code [out, in]}; {@code b} may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow();
  }

  public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
    return LayerNorm.layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)), gamma, beta, (float) eps)
        .singletonOrThrow();
  }

  /**
   * A 0-d constant in {@code like}'s manager, in memory the engine allocates and reference-counts.
   * Use it instead of DJL's {@code op(Number)} overloads inside a differentiated forward pass: those
   * wrap the number in a tensor over a Java buffer and close it at once, but autograd keeps that
   * tensor for backward ({@code pow} and {@code mul} do), so a garbage collection between forward
   * and backward frees the buffer and backward reads reused memory (garbage or NaN gradients).
   */
  public static NDArray constant(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }

  /** Llama RMSNorm: {@code w * x / sqrt(mean(x^2) + eps)} over the last axis. */
  public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    NDArray inverseRms = meanSquare.add(constant(x, (float) eps)).pow(constant(x, -0.5f));
    return x.mul(inverseRms).mul(weight);
  }

  /** {@code [b, t, heads*dim] -> [b, heads, t, dim]}. */
  public static NDArray splitHeads(NDArray x, int heads, int dim) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, dim).transpose(0, 2, 1, 3);
  }

  /** {@code [b, heads, t, dim] -> [b, t, heads*dim]}. */
  public static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }

  /** softmax(q k^T / sqrt(d) + mask) v over {@code [b, h, t, d]}; {@code mask} may be null. */
  public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray additiveMask) {
    long dim = q.getShape().get(3);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(constant(q, (float) (1.0 / Math.sqrt(dim))));
    if (additiveMask != null) {
      scores = scores.add(additiveMask);
    }
    return scores.softmax(-1).matMul(v);
  }
}
