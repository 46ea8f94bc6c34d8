package io.automerge.tensor;

import java.util.Arrays;
import java.util.Objects;

/** A tensor's name, dtype and shape: what a writer must know before its bytes arrive. */
public record TensorSpec(String name, DType dtype, long[] shape) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    Shapes.numel(shape); // rejects negative dimensions and overflow early
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long numel() {
    return Shapes.numel(shape);
  }

  public long byteSize() {
    return Shapes.byteSize(dtype, shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that
        && name.equals(that.name)
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
