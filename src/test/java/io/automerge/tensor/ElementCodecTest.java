package io.automerge.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ElementCodecTest {

  @Test
  void everyDtypeRoundTripsValuesItCanHold() {
    float[] values = {0f, 1f, -3f, 100f, 7f};
    for (DType dtype : DType.values()) {
      if (dtype == DType.BOOL || dtype == DType.U8) {
        continue;
      }
      ByteBuffer bytes = ElementCodec.encode(values, dtype);
      assertThat(bytes.remaining()).isEqualTo(values.length * dtype.byteSize());
      assertThat(ElementCodec.decode(bytes, dtype)).as("%s", dtype).containsExactly(values);
    }
    assertThat(ElementCodec.decode(ElementCodec.encode(new float[] {200f, 0f}, DType.U8), DType.U8))
        .containsExactly(200f, 0f);
    assertThat(ElementCodec.decode(ElementCodec.encode(new float[] {0.5f, 0f, -2f}, DType.BOOL), DType.BOOL))
        .containsExactly(1f, 0f, 1f);
  }

  @Test
  void writesLittleEndianAndTruncatesTowardZeroForIntegers() {
    ByteBuffer bytes = ElementCodec.encode(new float[] {1f}, DType.F32);
    assertThat(bytes.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(RawSafetensors.array(bytes)).containsExactly(0, 0, (byte) 0x80, 0x3f);
    assertThat(ElementCodec.decode(ElementCodec.encode(new float[] {-2.7f, 2.7f}, DType.I32), DType.I32))
        .containsExactly(-2f, 2f);
  }

  @Test
  void refusesAPartialElement() {
    assertThatThrownBy(() -> ElementCodec.decode(ByteBuffer.allocate(3), DType.F16))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
