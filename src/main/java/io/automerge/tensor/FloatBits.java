package io.automerge.tensor;

/**
 * Bit-level conversions between float32 and the 16-bit float formats, done in Java because this
 * DJL/PyTorch build aborts on BF16 and because Java 17 has no half-float support. Narrowing rounds
 * to nearest, ties to even; NaN stays NaN and infinities stay infinite.
 */
public final class FloatBits {
  private FloatBits() {}

  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      // Keep sign and top payload, force the quiet bit so truncation cannot turn NaN into ∞.
      return (short) ((bits >>> 16) | 0x0040);
    }
    int roundingBias = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }

  public static float halfToFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): mantissa units of 2^-24
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  public static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent >= 1) {
      // A carry out of the mantissa bumps the exponent, up to infinity: exactly what RNE wants.
      return (short) (sign | roundShiftRightEven((halfExponent << 23) | mantissa, 13));
    }
    // Subnormal result: the value in units of 2^-24 is the full significand shifted right.
    int shift = 14 - halfExponent;
    if (shift > 24) {
      return (short) sign; // below half the smallest subnormal
    }
    return (short) (sign | roundShiftRightEven(mantissa | 0x800000, shift));
  }

  private static int roundShiftRightEven(int value, int shift) {
    int result = value >>> shift;
    int remainder = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (remainder > half || (remainder == half && (result & 1) == 1)) {
      result++;
    }
    return result;
  }
}
