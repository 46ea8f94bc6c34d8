package io.automerge.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorsTest {

  private static NDManager base;

  @BeforeAll
  static void engine() {
    System.setProperty("ai.djl.offline", "true");
    base = NDManager.newBaseManager();
  }

  @AfterAll
  static void release() {
    base.close();
  }

  private static final float[] VALUES = {1f, -2.5f, 0.375f, 1024f, -0f, 3e-3f};

  private static TensorInfo info(DType dtype) {
    return new TensorInfo("t", dtype, new long[] {2, 3}, 0, 6L * dtype.byteSize());
  }

  @Test
  void widensEveryFloatDtypeToFloat32WithItsShape() {
    try (NDManager scope = base.newSubManager()) {
      for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
        ByteBuffer bytes = ElementCodec.encode(VALUES, dtype);
        NDArray array = Tensors.toFloat32(scope, info(dtype), bytes);
        assertThat(array.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(array.getShape()).isEqualTo(new Shape(2, 3));
        // What the codec decodes is what the file holds after rounding to the dtype.
        assertThat(array.toFloatArray()).as("%s", dtype).containsExactly(ElementCodec.decode(bytes, dtype));
      }
    }
  }

  @Test
  void loadsNativeDtypesAndBf16AsFloat32() {
    try (NDManager scope = base.newSubManager()) {
      NDArray ints = Tensors.load(scope, info(DType.I64), ElementCodec.encode(new float[] {1, 2, 3, 4, 5, 6}, DType.I64));
      assertThat(ints.getDataType()).isEqualTo(DataType.INT64);
      assertThat(ints.toLongArray()).containsExactly(1, 2, 3, 4, 5, 6);
      NDArray half = Tensors.load(scope, info(DType.F16), ElementCodec.encode(VALUES, DType.F16));
      assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
      NDArray bf16 = Tensors.load(scope, info(DType.BF16), ElementCodec.encode(VALUES, DType.BF16));
      assertThat(bf16.getDataType()).isEqualTo(DataType.FLOAT32);
    }
  }

  @Test
  void arraysAreCopiesThatMayBeChangedInPlace() {
    ByteBuffer bytes = ElementCodec.encode(VALUES, DType.F32).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    try (NDManager scope = base.newSubManager()) {
      NDArray array = Tensors.load(scope, info(DType.F32), bytes);
      array.addi(1f);
      assertThat(array.getFloat(0, 0)).isEqualTo(2f);
      assertThat(bytes.getFloat(0)).as("source bytes untouched").isEqualTo(1f);
    }
  }

  @Test
  void encodesArraysIntoAnyDtypeWithJavaSideBf16Rounding() {
    try (NDManager scope = base.newSubManager()) {
      NDArray array = scope.create(VALUES, new Shape(2, 3));
      for (DType dtype : DType.values()) {
        ByteBuffer encoded = Tensors.encode(array, dtype);
        assertThat(RawSafetensors.array(encoded))
            .as("%s", dtype)
            .containsExactly(RawSafetensors.array(ElementCodec.encode(VALUES, dtype)));
      }
      NDArray doubles = array.toType(DataType.FLOAT64, false);
      assertThat(RawSafetensors.array(Tensors.encode(doubles, DType.BF16)))
          .containsExactly(RawSafetensors.array(ElementCodec.encode(VALUES, DType.BF16)));
    }
  }

  @Test
  void roundTripsThroughACheckpointBitForBit(@TempDir Path dir) {
    TensorSpec spec = new TensorSpec("w", DType.BF16, new long[] {2, 3});
    try (NDManager scope = base.newSubManager()) {
      NDArray source = scope.create(VALUES, new Shape(2, 3));
      try (CheckpointWriter writer = CheckpointWriter.create(dir, List.of(spec), 1 << 20, Map.of())) {
        writer.write("w", Tensors.encode(source, DType.BF16));
      }
      try (Checkpoint checkpoint = Checkpoint.open(dir)) {
        NDArray back = Tensors.toFloat32(scope, checkpoint.info("w"), checkpoint.bytes("w"));
        assertThat(RawSafetensors.array(Tensors.encode(back, DType.BF16)))
            .containsExactly(RawSafetensors.array(checkpoint.bytes("w")));
      }
    }
  }

  @Test
  void refusesBytesOfTheWrongLength() {
    try (NDManager scope = base.newSubManager()) {
      assertThatThrownBy(() -> Tensors.toFloat32(scope, info(DType.F32), ByteBuffer.allocate(8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs 24 bytes, got 8");
    }
  }
}
