package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * TIES trimming: the keep-mask of exactly k = max(1, floor(density * n)) entries with the largest
 * |tau|. Entries at the threshold magnitude are kept in ascending flat (row-major) index order
 * until k are kept, so the result is the same as a stable sort by descending magnitude.
 *
 * <p>The threshold is found by a two-pass radix select over the float bits of |tau| (for
 * non-negative floats the bit patterns order like the values): exact, O(n), and with no
 * k-sized index array -- topK would allocate 12 bytes per kept element, quantile refuses tensors
 * over 2^24 elements.
 */
final class MagnitudeTrim {
  private static final int CHUNK = 1 << 16;

  private MagnitudeTrim() {}

  /** The keep-mask of {@code tau} (bool, on tau's device), or null when everything is kept. */
  static NDArray keepMask(NDManager scope, NDArray tau, double density) {
    int n = HostBuffers.checkedSize(tau.getShape(), "TIES trim");
    long k = Math.max(1L, (long) Math.floor(density * n));
    if (k >= n) {
      return null;
    }
    try (NDManager work = scope.newSubManager()) {
      NDArray magnitude = tau.abs();
      magnitude.attach(work);
      IntBuffer bits = HostBuffers.view(magnitude).asIntBuffer();
      Threshold threshold = select(bits, n, k);
      NDArray mask;
      if (threshold.tiesToKeep() == threshold.tiesAtThreshold()) {
        mask = magnitude.gte(Float.intBitsToFloat(threshold.bits()));
        mask.attach(scope);
        return mask;
      }
      return HostBuffers.fillOnHost(scope, tau.getShape(), DataType.BOOLEAN,
          keep -> tieBrokenMask(bits, n, threshold, keep));
    }
  }

  /** The k-th largest bit pattern, how many entries share it and how many of those to keep. */
  record Threshold(int bits, long tiesAtThreshold, long tiesToKeep) {}

  static Threshold select(IntBuffer bits, int n, long k) {
    long[] high = new long[1 << 16];
    forEach(bits, n, (value) -> high[value >>> 16]++);
    int highBucket = 0xffff;
    long above = 0;
    while (above + high[highBucket] < k) {
      above += high[highBucket--];
    }
    final int bucket = highBucket;
    long[] low = new long[1 << 16];
    forEach(bits, n, (value) -> {
      if ((value >>> 16) == bucket) {
        low[value & 0xffff]++;
      }
    });
    int lowBucket = 0xffff;
    while (above + low[lowBucket] < k) {
      above += low[lowBucket--];
    }
    return new Threshold((bucket << 16) | lowBucket, low[lowBucket], k - above);
  }

  private static void tieBrokenMask(IntBuffer bits, int n, Threshold threshold, ByteBuffer keep) {
    int[] chunk = new int[CHUNK];
    byte[] out = new byte[CHUNK];
    long tiesLeft = threshold.tiesToKeep();
    int t = threshold.bits();
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      bits.get(start, chunk, 0, len);
      for (int i = 0; i < len; i++) {
        int value = chunk[i];
        boolean kept = Integer.compareUnsigned(value, t) > 0 || (value == t && tiesLeft-- > 0);
        out[i] = kept ? (byte) 1 : 0;
      }
      keep.put(out, 0, len);
    }
  }

  private interface IntConsumer {
    void accept(int value);
  }

  private static void forEach(IntBuffer bits, int n, IntConsumer consumer) {
    int[] chunk = new int[CHUNK];
    for (int start = 0; start < n; start += CHUNK) {
      int len = Math.min(CHUNK, n - start);
      bits.get(start, chunk, 0, len);
      for (int i = 0; i < len; i++) {
        consumer.accept(chunk[i]);
      }
    }
  }
}
