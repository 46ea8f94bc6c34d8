package io.automerge.merge;

/**
 * The ascending order of a row's magnitudes, equal ones by index (a stable sort), for DELLA's
 * rank-dependent keep probabilities: an LSD radix sort over the 31 bits of |tau| in three passes
 * (a pass whose digit is the same everywhere is skipped); short rows use a comparison sort.
 * One instance per thread.
 */
final class RowRanks {
  private static final int RADIX_MIN = 256;
  private static final int[] SHIFT = {0, 11, 21};
  private static final int[] WIDTH = {11, 10, 10};

  private final int m;
  private int[] keys;
  private int[] order;
  private int[] keysOut;
  private int[] orderOut;
  private final int[] count = new int[1 << 11];
  private final long[] packed;

  RowRanks(int m) {
    this.m = m;
    if (m >= RADIX_MIN) {
      keys = new int[m];
      order = new int[m];
      keysOut = new int[m];
      orderOut = new int[m];
      packed = null;
    } else {
      packed = new long[m];
    }
  }

  /**
   * Fills {@code out[r]} with the row index of rank r, for the row {@code tau[from, from + m)}.
   */
  void order(float[] tau, int from, int[] out) {
    if (packed != null) {
      for (int j = 0; j < m; j++) {
        packed[j] = ((long) MagnitudeBand.magnitudeBits(tau[from + j]) << 32) | j;
      }
      java.util.Arrays.sort(packed);
      for (int r = 0; r < m; r++) {
        out[r] = (int) packed[r];
      }
      return;
    }
    for (int j = 0; j < m; j++) {
      keys[j] = MagnitudeBand.magnitudeBits(tau[from + j]);
      order[j] = j;
    }
    for (int pass = 0; pass < SHIFT.length; pass++) {
      int shift = SHIFT[pass];
      int buckets = 1 << WIDTH[pass];
      int mask = buckets - 1;
      java.util.Arrays.fill(count, 0, buckets, 0);
      for (int j = 0; j < m; j++) {
        count[(keys[j] >>> shift) & mask]++;
      }
      if (count[(keys[0] >>> shift) & mask] == m) {
        continue; // one digit everywhere: this pass would not move anything
      }
      int sum = 0;
      for (int d = 0; d < buckets; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int j = 0; j < m; j++) {
        int at = count[(keys[j] >>> shift) & mask]++;
        keysOut[at] = keys[j];
        orderOut[at] = order[j];
      }
      int[] t = keys;
      keys = keysOut;
      keysOut = t;
      t = order;
      order = orderOut;
      orderOut = t;
    }
    System.arraycopy(order, 0, out, 0, m);
  }
}
