package io.automerge.merge;

/**
 * A row's entries in ascending order of magnitude, equal ones by index (a stable sort), for
 * DELLA's rank-dependent keep probabilities. The result is an array of packed longs, entry r
 * holding the row index of rank r in its low 32 bits (its high bits are the magnitude's bits on
 * the bucketed path, so one long compare orders by magnitude and then by index).
 *
 * <p>Long rows are bucketed by value between 0 and the row's largest magnitude and finished by
 * one insertion sort (a few entries per bucket for uniform to Laplacian-like task vectors); a row
 * that crowds a bucket, or holds no finite nonzero maximum, falls back to an LSD radix sort over
 * the 31 bits in three passes. Short rows use a comparison sort. One instance per thread.
 */
final class RowRanks {
  private static final int RADIX_MIN = 256;
  private static final int CROWDED = 48; // a bucket this full: insertion sort would go quadratic
  private static final int[] SHIFT = {0, 11, 21};
  private static final int[] WIDTH = {11, 10, 10};
  private static final int INFINITY_BITS = 0x7f800000;
  private static final float TWO_POW_23 = 0x1p23f;
  private static final int TWO_POW_23_BITS = Float.floatToRawIntBits(TWO_POW_23);
  private static final int SAMPLE = 8; // the bucket scale comes from every 8th magnitude

  private final int m;
  private final int bucketBits;
  private final long[] packed;
  private final int[] bucketOf;
  private final int[] count;
  private int[] keys;
  private int[] order;
  private int[] keysOut;
  private int[] orderOut;

  RowRanks(int m) {
    this.m = m;
    packed = new long[m];
    if (m >= RADIX_MIN) {
      keys = new int[m];
      order = new int[m];
      keysOut = new int[m];
      orderOut = new int[m];
      bucketOf = new int[m];
      bucketBits = 33 - Integer.numberOfLeadingZeros(m - 1); // 2^bucketBits >= 2m buckets: fewer shared ones
      count = new int[Math.max(1 << 11, (1 << bucketBits) + 1)];
    } else {
      bucketOf = null;
      bucketBits = 0;
      count = null;
    }
  }

  /**
   * The row tau[from, from + m) in ascending stable order of |tau|: the low 32 bits of entry r
   * are the row index of rank r. The array is this instance's, overwritten by the next call.
   */
  long[] sorted(float[] tau, int from) {
    if (bucketOf == null) {
      for (int j = 0; j < m; j++) {
        packed[j] = ((long) MagnitudeBand.magnitudeBits(tau[from + j]) << 32) | j;
      }
      java.util.Arrays.sort(packed);
      return packed;
    }
    int top = maxBits(tau, from, SAMPLE);
    if (top == 0) {
      top = maxBits(tau, from, 1); // the sample was all zeros: the row's own maximum
    }
    if (!bucketed(tau, from, top)) {
      int[] sorted = radix(tau, from);
      for (int r = 0; r < m; r++) {
        packed[r] = sorted[r];
      }
    }
    return packed;
  }

  /** The largest magnitude's bits among every stride-th entry (bits order magnitudes; an infinity or NaN is at least INFINITY_BITS). */
  private int maxBits(float[] tau, int from, int stride) {
    int max = 0;
    for (int j = 0; j < m; j += stride) {
      max = Math.max(max, Float.floatToRawIntBits(tau[from + j]) & 0x7fffffff);
    }
    return max;
  }

  /**
   * Bucket sort into packed; false (nothing usable) when a bucket is crowded or the estimate of
   * the largest magnitude is not finite and nonzero. The estimate need not bound the row: a
   * larger magnitude, an infinity or a NaN lands in the last bucket, whose insertion sort orders
   * it by its bits.
   */
  private boolean bucketed(float[] tau, int from, int maxBits) {
    if (maxBits == 0 || maxBits >= INFINITY_BITS) {
      return false; // all zeros (the radix sort skips its passes), or an infinity or NaN
    }
    // by value, not by bits: the bits of typical magnitudes crowd the top exponents
    int buckets = 1 << bucketBits;
    int last = buckets - 1;
    float scale = last / Float.intBitsToFloat(maxBits);
    java.util.Arrays.fill(count, 0, buckets + 1, 0);
    for (int j = 0; j < m; j++) {
      // |tau| * scale rounded to an integer by adding 2^23 (its float's low bits are then the
      // integer), not by a cast, whose NaN and overflow checks cost a third of this loop. Rounded
      // multiplication and addition are monotone, so the bucket is too; an infinity, a NaN (its
      // sign bit cleared: Math.abs keeps a NaN's) or a magnitude above the estimate lands in the
      // last bucket.
      int b = Math.min((Float.floatToRawIntBits(Math.abs(tau[from + j]) * scale + TWO_POW_23) & 0x7fffffff) - TWO_POW_23_BITS, last);
      bucketOf[j] = b;
      count[b + 1]++;
    }
    if (prefixSums(buckets) > CROWDED) {
      return false;
    }
    long[] out = packed;
    for (int j = 0; j < m; j++) { // stable: each bucket in index order
      out[count[bucketOf[j]]++] = ((long) MagnitudeBand.magnitudeBits(tau[from + j]) << 32) | j;
    }
    // Buckets are in key order (a larger key never has a smaller bucket), so one insertion sort
    // over the whole row moves entries only within their bucket. Its first step is branch-free
    // (a compare-exchange of neighbours by conditional moves): a bucket of two, the common
    // collision, is ordered by a coin flip that a branch would mispredict half the time. Only a
    // key below two earlier ones, in a bucket of three or more, takes the (rare) branch.
    // Magnitude and index in one long: one compare, one move.
    long high = out[0];
    for (int i = 1; i < m; i++) {
      long key = out[i];
      // min and max by a sign mask: Java 17 does not intrinsify Math.min(long, long), and a
      // branch there mispredicts at every collision (keys are non-negative, so no overflow)
      long below = (key - high) & ((key - high) >> 63); // key - high where key < high, else 0
      long low = high + below;
      high = key - below;
      out[i] = high;
      if (i >= 2 && low < out[i - 2]) {
        int at = i - 2;
        do {
          out[at + 1] = out[at];
          at--;
        } while (at >= 0 && out[at] > low);
        out[at + 1] = low;
      } else {
        out[i - 1] = low;
      }
    }
    return true;
  }

  /**
   * count[1 .. buckets] becomes its running sums; returns the largest count. Four buckets a step:
   * their sums are formed beside the running total, which then takes one addition per four
   * buckets, not one per bucket (a chain of additions that bounded the plain loop).
   */
  private int prefixSums(int buckets) {
    int[] c = count;
    int crowded = 0;
    int crowded2 = 0;
    int sum = 0;
    for (int b = 1; b <= buckets; b += 4) { // buckets is a power of two, at least 512
      int c0 = c[b];
      int c1 = c[b + 1];
      int c2 = c[b + 2];
      int c3 = c[b + 3];
      int c01 = c0 + c1;
      crowded = Math.max(crowded, Math.max(c0, c1));
      crowded2 = Math.max(crowded2, Math.max(c2, c3));
      c[b] = sum + c0;
      c[b + 1] = sum + c01;
      c[b + 2] = sum + c01 + c2;
      sum += c01 + (c2 + c3);
      c[b + 3] = sum;
    }
    return Math.max(crowded, crowded2);
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
