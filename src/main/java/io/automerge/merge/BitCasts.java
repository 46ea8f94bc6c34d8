package io.automerge.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Floats' raw bits in bulk: Java 17's JIT does not vectorize {@link Float#floatToRawIntBits}, so
 * a loop of them runs one element at a time, while two bulk copies through one native-order
 * buffer (floats in, ints out) run at memory-copy speed: about half the time of the loop. One
 * buffer per thread, grown on demand (like {@link Scratch}).
 */
final class BitCasts {
  private static final ThreadLocal<BitCasts> MINE = ThreadLocal.withInitial(() -> new BitCasts(0));

  private final float[] difference;
  private final FloatBuffer floats;
  private final IntBuffer ints;

  private BitCasts(int capacity) {
    difference = new float[capacity];
    ByteBuffer bytes = ByteBuffer.allocateDirect(capacity * Float.BYTES).order(ByteOrder.nativeOrder());
    floats = bytes.asFloatBuffer();
    ints = bytes.asIntBuffer();
  }

  /** bits[j] = the magnitude bits of {@code s[j] - b[j]} (raw bits without the sign), j < len. */
  static void magnitudeBits(float[] s, float[] b, int len, int[] bits) {
    BitCasts casts = MINE.get();
    if (casts.difference.length < len) {
      casts = new BitCasts(len);
      MINE.set(casts);
    }
    float[] d = casts.difference;
    for (int j = 0; j < len; j++) {
      d[j] = s[j] - b[j];
    }
    casts.floats.put(0, d, 0, len);
    casts.ints.get(0, bits, 0, len);
    for (int j = 0; j < len; j++) {
      bits[j] = bits[j] & 0x7fffffff;
    }
  }
}
