package io.automerge.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a safetensors header describes it: {@code begin} and {@code end} are byte offsets
 * relative to the start of the file's data section, exactly as in the header.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("bad data offsets [" + begin + ", " + end + "] for " + name);
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long numel() {
    return Shapes.numel(shape);
  }

  /** Bytes the data occupies (end - begin; a valid file guarantees numel × dtype width). */
  public long byteSize() {
    return end - begin;
  }

  /** The same tensor as a writer declares it, for copying it into a new checkpoint. */
  public TensorSpec spec() {
    return new TensorSpec(name, dtype, shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorInfo that
        && name.equals(that.name)
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape)
        && begin == that.begin
        && end == that.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
  }
}
