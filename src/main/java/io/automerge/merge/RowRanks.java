package io.automerge.merge;

/**
 * The ascending rank of every magnitude in a row, equal ones by index (a stable sort), for
 * DELLA's rank-dependent keep probabilities. Long rows are bucketed by value between 0 and the
 * row's largest magnitude and each bucket is finished by insertion sort (a few entries each for
 * uniform to Laplacian-like task vectors); a row that crowds a bucket falls back to an LSD radix
 * sort over the 31 bits in three passes. Short rows use a
 * comparison sort. One instance per thread.
 */
final class RowRanks {
  private static final int RADIX_MIN = 256;
  private static final int CROWDED = 48; // a bucket this full: insertion sort would go quadratic
  private static final int[] SHIFT = {0, 11, 21};
  private static final int[] WIDTH = {11, 10, 10};

  private final int m;
  private final int bucketBits;
  private int[] keys;
  private int[] order;
  private int[] keysOut;
  private int[] orderOut;
  private final int[] bucketOf;
  private final int[] count;
  private final long[] packed;

  RowRanks(int m) {
    this.m = m;
    if (m >= RADIX_MIN) {
      keys = new int[m];
      order = new int[m];
      keysOut = new int[m];
      orderOut = new int[m];
      bucketOf = new int[m];
      bucketBits = 32 - Integer.numberOfLeadingZeros(m - 1); // 2^bucketBits >= m buckets
      count = new int[Math.max(1 << 11, (1 << bucketBits) + 1)];
      packed = null;
    } else {
      bucketOf = null;
      bucketBits = 0;
      count = null;
      packed = new long[m];
    }
  }

  /** Fills {@code rank[j]} with the ascending rank of |tau[from + j]| in the row tau[from, from + m). */
  void ranks(float[] tau, int from, int[] rank) {
    if (packed != null) {
      for (int j = 0; j < m; j++) {
        packed[j] = ((long) MagnitudeBand.magnitudeBits(tau[from + j]) << 32) | j;
      }
      java.util.Arrays.sort(packed);
      for (int r = 0; r < m; r++) {
        rank[(int) packed[r]] = r;
      }
      return;
    }
    float max = 0f;
    for (int j = 0; j < m; j++) {
      max = Math.max(max, Math.abs(tau[from + j])); // a NaN stays (Math.max keeps it)
    }
    int[] sorted = bucketed(tau, from, max) ? orderOut : radix(tau, from);
    for (int r = 0; r < m; r++) {
      rank[sorted[r]] = r;
    }
  }

  /** Bucket sort into orderOut; false (nothing usable) when a bucket is crowded or a value not finite. */
  private boolean bucketed(float[] tau, int from, float max) {
    if (!(max > 0 && max < Float.POSITIVE_INFINITY)) {
      return false; // all zeros (the radix sort skips its passes), or an infinity or NaN
    }
    // by value, not by bits: the bits of typical magnitudes crowd the top exponents
    int buckets = 1 << bucketBits;
    float scale = buckets / max;
    java.util.Arrays.fill(count, 0, buckets + 1, 0);
    for (int j = 0; j < m; j++) {
      int b = Math.min(buckets - 1, (int) (Math.abs(tau[from + j]) * scale)); // monotone in |tau|
      bucketOf[j] = b;
      count[b + 1]++;
    }
    int crowded = 0;
    int sum = 0; // the running sum in a register, not reloaded from count[b - 1]
    for (int b = 1; b <= buckets; b++) {
      int c = count[b];
      crowded = Math.max(crowded, c);
      sum += c;
      count[b] = sum;
    }
    if (crowded > CROWDED) {
      return false;
    }
    for (int j = 0; j < m; j++) { // stable: each bucket in index order
      int at = count[bucketOf[j]]++;
      keysOut[at] = MagnitudeBand.magnitudeBits(tau[from + j]);
      orderOut[at] = j;
    }
    // Buckets are in key order (a larger key never has a smaller bucket), so one insertion sort
    // over the whole row moves entries only within their bucket; it branches only where a bucket
    // holds a later, smaller key, which keeps mispredictions rare.
    for (int i = 1; i < m; i++) {
      int key = keysOut[i];
      if (key < keysOut[i - 1]) {
        int index = orderOut[i];
        int at = i - 1;
        do {
          keysOut[at + 1] = keysOut[at];
          orderOut[at + 1] = orderOut[at];
          at--;
        } while (at >= 0 && keysOut[at] > key);
        keysOut[at + 1] = key;
        orderOut[at + 1] = index;
      }
    }
    return true;
  }

  /** LSD radix sort of keys; returns the sorted row indices. */
  private int[] radix(float[] tau, int from) {
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
    return order;
  }
}
