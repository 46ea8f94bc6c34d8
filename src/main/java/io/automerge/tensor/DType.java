package io.automerge.tensor;

import ai.djl.ndarray.types.DataType;
import io.automerge.InvalidInputException;

/** Element types a checkpoint may hold, named as the safetensors header names them. */
public enum DType {
  F32(4, true, DataType.FLOAT32),
  F16(2, true, DataType.FLOAT16),
  // DJL has BFLOAT16, but handing it to this PyTorch build aborts the JVM: convert in Java.
  BF16(2, true, null),
  F64(8, true, DataType.FLOAT64),
  I64(8, false, DataType.INT64),
  I32(4, false, DataType.INT32),
  I8(1, false, DataType.INT8),
  U8(1, false, DataType.UINT8),
  BOOL(1, false, DataType.BOOLEAN);

  private final int byteSize;
  private final boolean isFloat;
  private final DataType djl;

  DType(int byteSize, boolean isFloat, DataType djl) {
    this.byteSize = byteSize;
    this.isFloat = isFloat;
    this.djl = djl;
  }

  public int byteSize() {
    return byteSize;
  }

  public boolean isFloat() {
    return isFloat;
  }

  public String safetensorsName() {
    return name();
  }

  /** The header's dtype string; an unknown one is the file's fault, not ours. */
  public static DType fromSafetensors(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    throw new InvalidInputException("unsupported safetensors dtype \"" + name + "\"");
  }

  public static DType fromDjl(DataType type) {
    if (type == DataType.BFLOAT16) {
      return BF16;
    }
    for (DType candidate : values()) {
      if (candidate.djl == type) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no safetensors dtype for DJL " + type);
  }

  /** The DJL type of the same width; BF16 has none (load it with {@link Tensors#toFloat32}). */
  public DataType toDjl() {
    if (djl == null) {
      throw new UnsupportedOperationException(
          "BF16 is never handed to DJL here: decode it to float32 with Tensors.toFloat32");
    }
    return djl;
  }
}
