package io.automerge.merge;

/**
 * The ascending rank of every magnitude in a row, equal ones by index (a stable sort), for
 * DELLA's rank-dependent keep probabilities. Long rows are bucketed by their bits' position
 * between the row's smallest and largest magnitude and each bucket is finished by insertion sort
 * (a handful of entries each for the magnitudes of real task vectors); a row that crowds one
 * bucket falls back to an LSD radix sort over the 31 bits in three passes. Short rows use a
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
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int j = 0; j < m; j++) {
      int key = MagnitudeBand.magnitudeBits(tau[from + j]);
      keys[j] = key;
      min = Math.min(min, key);
      max = Math.max(max, key);
    }
    int[] sorted = bucketed(min, max) ? orderOut : radix();
    for (int r = 0; r < m; r++) {
      rank[sorted[r]] = r;
    }
  }

  /** Bucket sort into orderOut; false (nothing usable) when a bucket is crowded. */
  private boolean bucketed(int min, int max) {
    int span = max - min; // both non-negative: no overflow
    int shift = Math.max(0, (32 - Integer.numberOfLeadingZeros(span)) - bucketBits);
    int buckets = (span >>> shift) + 1;
    java.util.Arrays.fill(count, 0, buckets + 1, 0);
    for (int j = 0; j < m; j++) {
      int b = (keys[j] - min) >>> shift;
      bucketOf[j] = b;
      count[b + 1]++;
    }
    int crowded = 0;
    for (int b = 1; b <= buckets; b++) {
      crowded = Math.max(crowded, count[b]);
      count[b] += count[b - 1];
    }
    if (crowded > CROWDED) {
      return false;
    }
    for (int j = 0; j < m; j++) { // stable: each bucket in index order
      int at = count[bucketOf[j]]++;
      keysOut[at] = keys[j];
      orderOut[at] = j;
    }
    // count[b] is now the end of bucket b; insertion sort each, moving only past larger keys
    int start = 0;
    for (int b = 0; b < buckets; b++) {
      int end = count[b];
      for (int i = start + 1; i < end; i++) {
        int key = keysOut[i];
        int index = orderOut[i];
        int at = i - 1;
        while (at >= start && keysOut[at] > key) {
          keysOut[at + 1] = keysOut[at];
          orderOut[at + 1] = orderOut[at];
          at--;
        }
        keysOut[at + 1] = key;
        orderOut[at + 1] = index;
      }
      start = end;
    }
    return true;
  }

  /** LSD radix sort of keys; returns the sorted row indices. */
  private int[] radix() {
    for (int j = 0; j < m; j++) {
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
