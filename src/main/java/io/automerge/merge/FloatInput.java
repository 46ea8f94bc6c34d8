package io.automerge.merge;

import io.automerge.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * One input tensor of a {@link HostKernel}, read as float32 values: a float32 view as it is, or
 * BF16/F16 bytes (a file mapping) widened slice by slice as the kernel reads them. Widening is
 * exact, so a kernel computes the same bits as from a whole float32 copy, and N sources cost no
 * float32 copies at all: that is what keeps a search with more sources at the memory of one with
 * two. Read-only; safe to read from several threads at once.
 */
interface FloatInput {

  float get(int index);

  /** Values [index, index + len) into {@code dst[off..]}. */
  void get(int index, float[] dst, int off, int len);

  /** A float32 view (an array's memory, or a float32 mapping) as it is. */
  static FloatInput of(FloatBuffer floats) {
    return new Float32(floats);
  }

  /** Little-endian stored bytes of {@code dtype}: F32, BF16 or F16. */
  static FloatInput decoding(ByteBuffer bytes, DType dtype) {
    ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return switch (dtype) {
      case F32 -> new Float32(le.asFloatBuffer());
      case BF16 -> new Bf16(le.asShortBuffer());
      case F16 -> new Half(le.asShortBuffer());
      default -> throw new IllegalArgumentException(dtype + " is not read by the host kernels");
    };
  }

  /** Whether {@link #decoding} reads this dtype. */
  static boolean decodes(DType dtype) {
    return dtype == DType.F32 || dtype == DType.BF16 || dtype == DType.F16;
  }

  /** Float32 values as they are. */
  record Float32(FloatBuffer floats) implements FloatInput {
    @Override
    public float get(int index) {
      return floats.get(index);
    }

    @Override
    public void get(int index, float[] dst, int off, int len) {
      floats.get(index, dst, off, len);
    }
  }

  /** BF16: the top half of a float32, so widening is a shift. */
  record Bf16(ShortBuffer bits) implements FloatInput {
    @Override
    public float get(int index) {
      return Float.intBitsToFloat(bits.get(index) << 16);
    }

    @Override
    public void get(int index, float[] dst, int off, int len) {
      short[] raw = Raw.shorts(len);
      bits.get(index, raw, 0, len);
      for (int j = 0; j < len; j++) {
        dst[off + j] = Float.intBitsToFloat(raw[j] << 16); // the sign-extended high bits shift out
      }
    }
  }

  /** IEEE half precision, widened as {@link io.automerge.tensor.FloatBits#halfToFloat} does. */
  record Half(ShortBuffer bits) implements FloatInput {
    @Override
    public float get(int index) {
      return io.automerge.tensor.FloatBits.halfToFloat(bits.get(index));
    }

    @Override
    public void get(int index, float[] dst, int off, int len) {
      short[] raw = Raw.shorts(len);
      bits.get(index, raw, 0, len);
      for (int j = 0; j < len; j++) {
        dst[off + j] = io.automerge.tensor.FloatBits.halfToFloat(raw[j]);
      }
    }
  }

  /** A per-thread slice of raw 16-bit values (the kernels read slices of a few thousand elements). */
  final class Raw {
    private static final ThreadLocal<short[]> SHORTS = ThreadLocal.withInitial(() -> new short[Parts.SLICE]);

    private Raw() {}

    static short[] shorts(int len) {
      short[] raw = SHORTS.get();
      if (raw.length < len) {
        raw = new short[len];
        SHORTS.set(raw);
      }
      return raw;
    }
  }
}
