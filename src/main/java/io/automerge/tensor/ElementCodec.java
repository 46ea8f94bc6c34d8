package io.automerge.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Plain-Java conversion between float32 values and the little-endian bytes of any {@link DType}.
 * Conversions to integer types truncate toward zero, as a PyTorch cast does.
 */
public final class ElementCodec {
  private ElementCodec() {}

  /** The values as little-endian bytes of {@code target}, positioned at 0. */
  public static ByteBuffer encode(float[] values, DType target) {
    ByteBuffer out =
        ByteBuffer.allocate(Math.multiplyExact(values.length, target.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      switch (target) {
        case F32 -> out.putFloat(value);
        case F16 -> out.putShort(FloatBits.floatToHalf(value));
        case BF16 -> out.putShort(FloatBits.floatToBf16(value));
        case F64 -> out.putDouble(value);
        case I64 -> out.putLong((long) value);
        case I32 -> out.putInt((int) value);
        case I8, U8 -> out.put((byte) (int) value);
        case BOOL -> out.put((byte) (value != 0 ? 1 : 0));
      }
    }
    return out.flip();
  }

  /** The little-endian elements of {@code source} from the buffer's position, widened to float. */
  public static float[] decode(ByteBuffer bytes, DType source) {
    ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() % source.byteSize() != 0) {
      throw new IllegalArgumentException(
          in.remaining() + " bytes is not a whole number of " + source + " elements");
    }
    float[] values = new float[in.remaining() / source.byteSize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (source) {
        case F32 -> in.getFloat();
        case F16 -> FloatBits.halfToFloat(in.getShort());
        case BF16 -> FloatBits.bf16ToFloat(in.getShort());
        case F64 -> (float) in.getDouble();
        case I64 -> in.getLong();
        case I32 -> in.getInt();
        case I8 -> in.get();
        case U8 -> in.get() & 0xff;
        case BOOL -> in.get() != 0 ? 1 : 0;
      };
    }
    return values;
  }
}
