package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The source models' versions of one tensor, handed to a technique one at a time so that a
 * file-backed merge holds one source in memory at a time while a resident worker hands out the
 * tensors it already holds. Techniques must not modify what {@link #load} returns.
 */
public interface Sources {

  int size();

  /**
   * Source {@code index} as a float32 array with the base's shape on the base's device. The
   * array is read-only to the caller and stays valid until {@code scope} closes; a technique may
   * call this more than once for the same index.
   */
  NDArray load(int index, NDManager scope);

  /** Tensors already in memory (a worker's resident models, tests). */
  static Sources of(List<NDArray> arrays) {
    List<NDArray> copy = List.copyOf(arrays);
    return new Sources() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public NDArray load(int index, NDManager scope) {
        return copy.get(index);
      }
    };
  }
}
