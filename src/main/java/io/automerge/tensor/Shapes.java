package io.automerge.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor records. */
final class Shapes {
  private Shapes() {}

  /** Element count; a scalar (empty shape) has one. Throws ArithmeticException on overflow. */
  static long numel(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  static long byteSize(DType dtype, long[] shape) {
    return Math.multiplyExact(numel(shape), dtype.byteSize());
  }
}
