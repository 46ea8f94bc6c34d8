package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Element-wise work in slices. On CPU a merge is bound by memory bandwidth: whole-tensor steps
 * stream every intermediate through RAM (and each fresh large allocation page-faults), while
 * slices of {@link #CPU_CHUNK} elements keep the intermediates of one slice in cache. GPUs take
 * the whole tensor at once.
 */
final class Chunks {
  /** Even, so DARE's two-uniforms-per-draw stream splits at the same places in every chunking. */
  static final int CPU_CHUNK = Integer.getInteger("automerge.merge.chunk", 1 << 18) & ~1;

  private Chunks() {}

  static int chunkSize(NDArray like, int n) {
    return Devices.isCpu(like.getDevice()) ? Math.min(CPU_CHUNK, Math.max(n, 1)) : Math.max(n, 1);
  }

  /** A 1-D view of {@code array} owned by {@code owner}. */
  static NDArray flat(NDManager owner, NDArray array, int n) {
    return Scopes.own(owner, array.reshape(new Shape(n)));
  }

  /** Elements [start, end) of a 1-D array, as a view owned by {@code owner}. */
  static NDArray slice(NDManager owner, NDArray flat, int start, int end) {
    if (start == 0 && end == flat.getShape().get(0)) {
      return flat;
    }
    return Scopes.own(owner, flat.get(range(start, end)));
  }

  private static NDIndex range(int start, int end) {
    return new NDIndex().addSliceDim(start, end); // built, not parsed: this runs per slice
  }

  static void write(NDArray flatTarget, int start, int end, NDArray values) {
    flatTarget.set(range(start, end), values);
  }
}
