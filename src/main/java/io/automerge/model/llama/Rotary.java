package io.automerge.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.model.Layers;

/** HF Llama rotary embedding ("rotate_half" layout): {@code x*cos + rotate_half(x)*sin}. */
final class Rotary {
  private final NDArray cos;
  private final NDArray sin;
  private final int half;

  /** Tables for positions {@code 0..length-1} and the given inverse frequencies, created in {@code manager}. */
  Rotary(NDManager manager, int length, double[] inverseFrequencies) {
    half = inverseFrequencies.length;
    float[] table = new float[length * half];
    for (int i = 0; i < half; i++) {
      // transformers keeps the frequencies in float32 and multiplies by the position in float32.
      float invFreq = (float) inverseFrequencies[i];
      for (int p = 0; p < length; p++) {
        table[p * half + i] = p * invFreq;
      }
    }
    NDArray freqs = manager.create(table, new Shape(length, half));
    NDArray angles = freqs.concat(freqs, -1);
    cos = angles.cos();
    sin = angles.sin();
  }

  /** Rotates {@code [b, heads, t, headDim]}. */
  NDArray apply(NDArray x) {
    NDArray first = x.get("..., :" + half);
    NDArray second = x.get("..., " + half + ":");
    NDArray rotated = second.neg().concat(first, -1);
    return x.mul(cos).add(rotated.mul(sin));
  }

  static NDArray causalMask(NDManager manager, int length) {
    NDArray idx = manager.arange(length);
    NDArray future = idx.reshape(1, length).gt(idx.reshape(length, 1));
    NDArray mask = future.toType(DataType.FLOAT32, false);
    return mask.mul(Layers.constant(mask, -1e9f));
  }
}
