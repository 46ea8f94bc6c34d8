package io.automerge.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FloatBitsTest {

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void bf16RoundsToNearestEven() {
    assertThat(FloatBits.floatToBf16(1.0f)).isEqualTo((short) 0x3f80);
    assertThat(FloatBits.floatToBf16(-2.0f)).isEqualTo((short) 0xc000);
    // bf16 keeps 7 mantissa bits: 1 + 2^-8 is a tie between 1 (even) and 1 + 2^-7 (odd).
    assertThat(FloatBits.floatToBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
    assertThat(FloatBits.floatToBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
    assertThat(FloatBits.floatToBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3f81);
    assertThat(FloatBits.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80); // rounds up to ∞
    assertThat(FloatBits.bf16ToFloat(FloatBits.floatToBf16(Float.NEGATIVE_INFINITY)))
        .isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void bf16KeepsNaNEvenWhenOnlyLowPayloadBitsAreSet() {
    float lowPayloadNaN = Float.intBitsToFloat(0x7f800001);
    assertThat(FloatBits.bf16ToFloat(FloatBits.floatToBf16(lowPayloadNaN))).isNaN();
    assertThat(FloatBits.bf16ToFloat(FloatBits.floatToBf16(Float.NaN))).isNaN();
  }

  @Test
  void everyBf16AndHalfValueSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short pattern = (short) bits;
      float bf = FloatBits.bf16ToFloat(pattern);
      float half = FloatBits.halfToFloat(pattern);
      if (Float.isNaN(bf)) {
        assertThat(FloatBits.bf16ToFloat(FloatBits.floatToBf16(bf))).isNaN();
      } else {
        assertThat(FloatBits.floatToBf16(bf)).as("bf16 %04x", bits).isEqualTo(pattern);
      }
      if (Float.isNaN(half)) {
        assertThat(FloatBits.halfToFloat(FloatBits.floatToHalf(half))).isNaN();
      } else {
        assertThat(FloatBits.floatToHalf(half)).as("half %04x", bits).isEqualTo(pattern);
      }
    }
  }

  @Test
  void halfConversionsAgreeWithPyTorch() {
    Random random = new Random(7);
    float[] values = new float[20_000];
    int i = 0;
    float[] edges = {0f, -0f, 65504f, 65519f, 65520f, 1e6f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-26f,
        0x1.8p-24f, 0x1.4p-24f, 6.1e-5f, 1f + 0x1p-11f, 1f + 3 * 0x1p-11f, -1f - 0x1p-11f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    for (float edge : edges) {
      values[i++] = edge;
    }
    while (i < values.length) {
      // Log-uniform magnitudes across the half range, subnormals and overflow included.
      double magnitude = Math.pow(2, -27 + random.nextDouble() * 45);
      values[i++] = (float) (random.nextBoolean() ? magnitude : -magnitude);
    }
    try (NDManager manager = NDManager.newBaseManager();
        NDArray halves = manager.create(values).toType(DataType.FLOAT16, false)) {
      java.nio.ShortBuffer torch = halves.toByteBuffer().asShortBuffer();
      for (int k = 0; k < values.length; k++) {
        assertThat(FloatBits.floatToHalf(values[k]))
            .as("float %s (%a)", values[k], values[k])
            .isEqualTo(torch.get(k));
      }
      float[] widened = halves.toType(DataType.FLOAT32, false).toFloatArray();
      for (int k = 0; k < values.length; k++) {
        assertThat(FloatBits.halfToFloat(torch.get(k))).isEqualTo(widened[k]);
      }
    }
  }
}
