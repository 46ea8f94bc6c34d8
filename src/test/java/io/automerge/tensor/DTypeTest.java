package io.automerge.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import io.automerge.InvalidInputException;
import org.junit.jupiter.api.Test;

class DTypeTest {

  @Test
  void namesAndWidthsMatchTheSafetensorsFormat() {
    for (DType dtype : DType.values()) {
      assertThat(DType.fromSafetensors(dtype.safetensorsName())).isEqualTo(dtype);
    }
    assertThat(DType.BF16.byteSize()).isEqualTo(2);
    assertThat(DType.F64.byteSize()).isEqualTo(8);
    assertThat(DType.BOOL.byteSize()).isEqualTo(1);
    assertThat(DType.F16.isFloat()).isTrue();
    assertThat(DType.I64.isFloat()).isFalse();
  }

  @Test
  void unknownNamesAreTheFilesFault() {
    assertThatThrownBy(() -> DType.fromSafetensors("F8_E4M3"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("F8_E4M3");
  }

  @Test
  void mapsToDjlExceptBf16() {
    for (DType dtype : DType.values()) {
      if (dtype != DType.BF16) {
        assertThat(DType.fromDjl(dtype.toDjl())).isEqualTo(dtype);
        assertThat(dtype.toDjl().getNumOfBytes()).isEqualTo(dtype.byteSize());
      }
    }
    assertThat(DType.fromDjl(DataType.BFLOAT16)).isEqualTo(DType.BF16);
    assertThatThrownBy(DType.BF16::toDjl).isInstanceOf(UnsupportedOperationException.class);
  }
}
