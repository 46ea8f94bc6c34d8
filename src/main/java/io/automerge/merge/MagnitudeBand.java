package io.automerge.merge;


/**
 * Keeps the entries of one task vector tau = theta - theta_0 whose rank by |tau| falls in
 * [from, to), ranks taken in descending order of |tau| with equal magnitudes in ascending index
 * order (a stable sort by descending magnitude). TIES keeps [0, k); Model Breadcrumbs drops the
 * largest and the smallest, keeping [top, n - bottom).
 *
 * <p>The two boundary magnitudes are found exactly by a radix select over the float bits of |tau|
 * (for non-negative floats the bit patterns order like the values) in two parallel passes; each
 * part also counts how often the boundary values occur in it, so every part knows, without a
 * sequential scan, which of the tied entries at a boundary are its to keep. Nothing of size n is
 * allocated.
 */
final class MagnitudeBand {
  private static final int BUCKETS = 1 << 16;

  private final long from;
  private final long to;
  private final int upperBits; // the magnitude at rank from (entries above it are dropped)
  private final long upperDrop; // how many entries equal to upperBits are dropped, first ones first
  private final int lowerBits; // the magnitude at rank to - 1 (entries below it are dropped)
  private final long lowerKeep; // how many entries equal to lowerBits are kept, first ones first
  private final long[] upperBefore; // per part: entries equal to upperBits in earlier parts
  private final long[] lowerBefore;
  /**
   * Per part, the positions of the entries equal to a boundary magnitude, in index order, when
   * the sampled pass found them and the boundaries are finite (then the keep pass compares
   * floats, vectorized, and settles only these entries one by one); else null.
   */
  private int[][] ties;
  private static final int FLOAT_INFINITY_BITS = 0x7f800000;
  private static final float HUGE = 0x1p127f;

  private MagnitudeBand(long from, long to, int upperBits, long upperDrop, int lowerBits, long lowerKeep,
      long[] upperBefore, long[] lowerBefore) {
    this.from = from;
    this.to = to;
    this.upperBits = upperBits;
    this.upperDrop = upperDrop;
    this.lowerBits = lowerBits;
    this.lowerKeep = lowerKeep;
    this.upperBefore = upperBefore;
    this.lowerBefore = lowerBefore;
  }

  /** The band [from, to) of |theta - base| over n elements, split as {@code parts}. */
  static MagnitudeBand of(FloatInput theta, FloatInput base, int n, long from, long to, Parts parts) {
    return of(new FloatInput[] {theta}, base, n, new long[] {from}, new long[] {to}, parts)[0];
  }

  /**
   * The bands [from[i], to[i]) of |thetas[i] - base| (null where thetas[i] is null), found
   * together: the sampled pass reads each slice of the base once for every model.
   */
  static MagnitudeBand[] of(FloatInput[] thetas, FloatInput base, int n, long[] from, long[] to, Parts parts) {
    MagnitudeBand[] bands = new MagnitudeBand[thetas.length];
    java.util.List<Sampled> sampled = new java.util.ArrayList<>();
    for (int i = 0; i < thetas.length; i++) {
      if (thetas[i] == null) {
        continue;
      }
      if (from[i] < 0 || to[i] > n || from[i] >= to[i]) {
        throw new IllegalArgumentException("rank band [" + from[i] + ", " + to[i] + ") of " + n);
      }
      if (n >= SAMPLED_MIN && (from[i] > 0 || to[i] < n)) {
        sampled.add(new Sampled(i, thetas[i], base, n, from[i], to[i]));
      }
    }
    scan(sampled, base, parts);
    for (Sampled model : sampled) {
      bands[model.index] = model.resolve(parts.count());
    }
    for (int i = 0; i < thetas.length; i++) {
      if (thetas[i] != null && bands[i] == null) {
        bands[i] = radix(thetas[i], base, n, from[i], to[i], parts);
      }
    }
    return bands;
  }

  private static final int SAMPLED_MIN = 1 << 20;
  private static final int SAMPLE = 1 << 16;

  /**
   * One pass instead of two: a strided sample brackets each boundary magnitude; the pass counts
   * the entries above the bracket and keeps those inside it (a few percent), in index order, from
   * which the exact boundary and its ties per part follow. {@link #resolve} gives null when a
   * bracket missed its rank (then the radix select runs).
   */
  private static final class Sampled {
    final int index;
    final FloatInput theta;
    final int n;
    final long from;
    final long to;
    final long[] ranks;
    final int[] lo;
    final int[] hi;
    long[][] above;
    int[][][] inside;
    int[][][] insideAt;
    int[][] insideCount;

    Sampled(int index, FloatInput theta, FloatInput base, int n, long from, long to) {
      this.index = index;
      this.theta = theta;
      this.n = n;
      this.from = from;
      this.to = to;
      int stride = n / SAMPLE;
      int[] sample = new int[SAMPLE];
      for (int i = 0; i < SAMPLE; i++) {
        sample[i] = magnitudeBits(theta.get(i * stride) - base.get(i * stride));
      }
      java.util.Arrays.sort(sample); // ascending: descending rank q is sample[SAMPLE - 1 - q]
      ranks = from > 0 && to < n ? new long[] {from, to - 1} : new long[] {from > 0 ? from : to - 1};
      int margin = 3 * (int) Math.sqrt(SAMPLE) + 16; // three standard deviations of a sample quantile, at most
      lo = new int[ranks.length];
      hi = new int[ranks.length];
      for (int b = 0; b < ranks.length; b++) {
        int q = (int) (ranks[b] * SAMPLE / n);
        hi[b] = sample[SAMPLE - 1 - Math.max(0, q - margin)];
        lo[b] = sample[SAMPLE - 1 - Math.min(SAMPLE - 1, q + margin)];
      }
    }

    void allocate(int p) {
      above = new long[ranks.length][p];
      inside = new int[ranks.length][p][];
      insideAt = new int[ranks.length][p][];
      insideCount = new int[ranks.length][p];
    }

    MagnitudeBand resolve(int p) {
      int[] bits = new int[ranks.length];
      long[] exactAbove = new long[ranks.length];
      long[][] before = new long[ranks.length][p];
      for (int b = 0; b < ranks.length; b++) {
        long over = 0;
        int total = 0;
        for (int part = 0; part < p; part++) {
          over += above[b][part];
          total += insideCount[b][part];
        }
        if (ranks[b] < over || ranks[b] >= over + total) {
          return null;
        }
        long[] selected = selectDescending(inside[b], insideCount[b], ranks[b] - over);
        int value = (int) selected[0];
        bits[b] = value;
        exactAbove[b] = over + selected[1]; // entries strictly greater than value
        long seen = 0;
        for (int part = 0; part < p; part++) {
          before[b][part] = seen;
          for (int i = 0; i < insideCount[b][part]; i++) {
            seen += inside[b][part][i] == value ? 1 : 0;
          }
        }
      }
      boolean upper = from > 0;
      boolean lower = to < n;
      int u = 0;
      int l = ranks.length - 1;
      MagnitudeBand band = new MagnitudeBand(from, to,
          upper ? bits[u] : 0, upper ? from - exactAbove[u] : 0,
          lower ? bits[l] : 0, lower ? to - exactAbove[l] : 0,
          upper ? before[u] : null, lower ? before[l] : null);
      boolean finite = true;
      for (int value : bits) {
        finite &= value < FLOAT_INFINITY_BITS;
      }
      if (finite) {
        band.ties = new int[p][];
        for (int part = 0; part < p; part++) {
          band.ties[part] = tiePositions(part, bits);
        }
      }
      return band;
    }

    /** Where, in one part and in index order, the entries equal to a boundary magnitude lie. */
    private int[] tiePositions(int part, int[] bits) {
      int[] merged = new int[0];
      for (int b = 0; b < ranks.length; b++) {
        int[] mine = new int[insideCount[b][part]];
        int count = 0;
        for (int i = 0; i < insideCount[b][part]; i++) {
          if (inside[b][part][i] == bits[b]) {
            mine[count++] = insideAt[b][part][i]; // in index order, as scanned
          }
        }
        merged = union(merged, java.util.Arrays.copyOf(mine, count));
      }
      return merged;
    }
  }

  /** The sorted union of two sorted position lists (both boundaries can name the same entry). */
  private static int[] union(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      int next = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
      i += i < a.length && a[i] == next ? 1 : 0;
      j += j < b.length && b[j] == next ? 1 : 0;
      out[n++] = next;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The sampled models' shared pass: each slice of the base is read once for all of them. */
  private static void scan(java.util.List<Sampled> models, FloatInput base, Parts parts) {
    if (models.isEmpty()) {
      return;
    }
    int p = parts.count();
    for (Sampled model : models) {
      model.allocate(p);
    }
    parts.forEach((part, start, end) -> {
      Bracket[][] brackets = new Bracket[models.size()][];
      for (int m = 0; m < brackets.length; m++) {
        Sampled model = models.get(m);
        brackets[m] = new Bracket[model.ranks.length];
        for (int k = 0; k < model.ranks.length; k++) {
          brackets[m][k] = new Bracket(model.lo[k], model.hi[k]);
        }
      }
      float[] s = new float[Parts.SLICE];
      float[] bb = new float[Parts.SLICE];
      for (int at = start; at < end; at += Parts.SLICE) {
        int len = Math.min(Parts.SLICE, end - at);
        base.get(at, bb, 0, len);
        for (int m = 0; m < brackets.length; m++) {
          models.get(m).theta.get(at, s, 0, len);
          for (Bracket bracket : brackets[m]) { // a second boundary re-reads the slice from cache
            bracket.scan(s, bb, len, at);
          }
        }
      }
      for (int m = 0; m < brackets.length; m++) {
        Sampled model = models.get(m);
        for (int k = 0; k < model.ranks.length; k++) {
          model.above[k][part] = brackets[m][k].over;
          model.inside[k][part] = brackets[m][k].kept;
          model.insideAt[k][part] = brackets[m][k].where;
          model.insideCount[k][part] = brackets[m][k].count;
        }
      }
    });
  }

  /**
   * The value of descending rank {@code rank} among the first {@code counts[p]} entries of each
   * {@code values[p]} (magnitude bits), and how many entries are greater: a radix select in two
   * counting passes over the bracket (a few percent of n), where sorting it cost more than the
   * pass that collected it.
   */
  static long[] selectDescending(int[][] values, int[] counts, long rank) {
    int[] high = new int[BUCKETS];
    for (int part = 0; part < values.length; part++) {
      int[] v = values[part];
      for (int i = 0; i < counts[part]; i++) {
        high[v[i] >>> 16]++;
      }
    }
    long above = 0;
    int bucket = BUCKETS - 1;
    while (above + high[bucket] <= rank) {
      above += high[bucket--];
    }
    int[] low = new int[BUCKETS];
    for (int part = 0; part < values.length; part++) {
      int[] v = values[part];
      for (int i = 0; i < counts[part]; i++) {
        if ((v[i] >>> 16) == bucket) {
          low[v[i] & 0xffff]++;
        }
      }
    }
    int digit = BUCKETS - 1;
    while (above + low[digit] <= rank) {
      above += low[digit--];
    }
    return new long[] {(bucket << 16) | digit, above};
  }

  /**
   * One boundary's bracket [lo, hi] of magnitude bits in one part: entries above it counted,
   * inside kept with their positions.
   */
  private static final class Bracket {
    final int lo;
    final int hi;
    long over;
    int[] kept = new int[1024];
    int[] where = new int[1024];
    int count;

    Bracket(int lo, int hi) {
      this.lo = lo;
      this.hi = hi;
    }

    /** Over |s - b| of a slice starting at element {@code at}, in index order; locals only in the loop. */
    void scan(float[] s, float[] b, int len, int at) {
      int hi = this.hi;
      int lo = this.lo;
      long over = this.over;
      for (int j = 0; j < len; j++) {
        int bits = magnitudeBits(s[j] - b[j]);
        over += (hi - bits) >>> 31; // bits > hi, without a branch
        if (Integer.compareUnsigned(bits - lo, hi - lo) <= 0) { // lo <= bits <= hi: one rare branch
          if (count == kept.length) {
            kept = java.util.Arrays.copyOf(kept, kept.length * 2);
            where = java.util.Arrays.copyOf(where, where.length * 2);
          }
          kept[count] = bits;
          where[count++] = at + j;
        }
      }
      this.over = over;
    }
  }

  /** Two radix passes over the top and the bottom 16 bits of |tau|. */
  private static MagnitudeBand radix(FloatInput theta, FloatInput base, int n, long from, long to, Parts parts) {
    int p = parts.count();
    long[][] high = new long[p][];
    parts.forEach((part, start, end) -> {
      high[part] = highCounts(theta, base, start, end);
    });
    long[] highTotal = sum(high);
    Rank upperHigh = from > 0 ? Rank.find(highTotal, from, 0) : null;
    Rank lowerHigh = to < n ? Rank.find(highTotal, to - 1, 0) : null;
    if (upperHigh == null && lowerHigh == null) {
      return new MagnitudeBand(from, to, 0, 0, 0, 0, null, null); // keeps everything
    }
    int upperBucket = upperHigh == null ? -1 : upperHigh.bucket;
    int lowerBucket = lowerHigh == null ? -1 : lowerHigh.bucket;
    long[][] upperLow = new long[p][];
    long[][] lowerLow = new long[p][];
    parts.forEach((part, start, end) -> {
      long[] up = upperBucket < 0 ? null : new long[BUCKETS];
      long[] down = lowerBucket < 0 ? null : lowerBucket == upperBucket ? up : new long[BUCKETS];
      forEachMagnitude(theta, base, start, end, bits -> {
        int bucket = bits >>> 16;
        if (bucket == upperBucket) {
          up[bits & 0xffff]++;
        } else if (bucket == lowerBucket) {
          down[bits & 0xffff]++;
        }
      });
      upperLow[part] = up;
      lowerLow[part] = down;
    });
    int upperBits = 0;
    long upperDrop = 0;
    long[] upperBefore = null;
    if (upperHigh != null) {
      Rank exact = Rank.find(sum(upperLow), from, upperHigh.above);
      upperBits = (upperBucket << 16) | exact.bucket;
      upperDrop = from - exact.above;
      upperBefore = before(upperLow, exact.bucket);
    }
    int lowerBits = 0;
    long lowerKeep = 0;
    long[] lowerBefore = null;
    if (lowerHigh != null) {
      Rank exact = Rank.find(sum(lowerLow), to - 1, lowerHigh.above);
      lowerBits = (lowerBucket << 16) | exact.bucket;
      lowerKeep = to - exact.above;
      lowerBefore = before(lowerLow, exact.bucket);
    }
    return new MagnitudeBand(from, to, upperBits, upperDrop, lowerBits, lowerKeep, upperBefore, lowerBefore);
  }

  /** The bucket holding descending rank {@code rank} and how many entries lie above it. */
  private record Rank(int bucket, long above) {
    static Rank find(long[] counts, long rank, long aboveBefore) {
      long above = aboveBefore;
      int bucket = BUCKETS - 1;
      while (above + counts[bucket] <= rank) {
        above += counts[bucket--];
      }
      return new Rank(bucket, above);
    }
  }

  private static long[] sum(long[][] perPart) {
    long[] total = new long[BUCKETS];
    for (long[] counts : perPart) {
      if (counts != null) {
        for (int i = 0; i < BUCKETS; i++) {
          total[i] += counts[i];
        }
      }
    }
    return total;
  }

  private static long[] before(long[][] perPart, int low) {
    long[] out = new long[perPart.length];
    for (int part = 1; part < perPart.length; part++) {
      out[part] = out[part - 1] + perPart[part - 1][low];
    }
    return out;
  }

  boolean keepsAll() {
    return upperBefore == null && lowerBefore == null;
  }

  /** Keep decisions for one part, in index order. */
  Cursor cursor(int part) {
    return new Cursor(part);
  }

  final class Cursor {
    private long upperSeen;
    private long lowerSeen;
    private final int[] tiesHere;
    private int nextTie;
    private float[] keep = new float[0];

    private Cursor(int part) {
      upperSeen = upperBefore == null ? 0 : upperBefore[part];
      lowerSeen = lowerBefore == null ? 0 : lowerBefore[part];
      tiesHere = ties == null ? null : ties[part];
    }

    /**
     * Zeroes the entries of {@code tau} (elements start .. start + len, the next ones of this
     * part) outside the band, as {@code tau[j] * keep(bits)} in index order would.
     */
    void apply(int start, float[] tau, int len) {
      if (tiesHere == null) {
        for (int j = 0; j < len; j++) {
          tau[j] = tau[j] * keep(magnitudeBits(tau[j]));
        }
        return;
      }
      if (keep.length < len) {
        keep = new float[len];
      }
      float[] k = keep;
      // Strictly inside the boundaries, by float comparisons made arithmetic (see positive):
      // for finite boundaries they order like the bits, NaN included (its keep is NaN, and
      // NaN * NaN is tau's NaN, as NaN * 1 is). Entries equal to a boundary get 0 here.
      float upper = Float.intBitsToFloat(upperBits);
      float lower = Float.intBitsToFloat(lowerBits);
      // (small loops: one past the JIT's unroll limit is not vectorized)
      if (upperBefore != null) {
        for (int j = 0; j < len; j++) {
          k[j] = positive(upper - Math.abs(tau[j]));
        }
        if (lowerBefore != null) {
          for (int j = 0; j < len; j++) {
            k[j] = k[j] * positive(Math.abs(tau[j]) - lower);
          }
        }
      } else {
        for (int j = 0; j < len; j++) {
          k[j] = positive(Math.abs(tau[j]) - lower);
        }
      }
      // the boundary entries, in index order, as the scalar rule settles them
      int end = start + len;
      while (nextTie < tiesHere.length && tiesHere[nextTie] < end) {
        int j = tiesHere[nextTie++] - start;
        k[j] = keep(magnitudeBits(tau[j]));
      }
      for (int j = 0; j < len; j++) {
        tau[j] = tau[j] * k[j];
      }
    }

    /** 1f if the next entry (in index order), with magnitude bits {@code bits}, is kept, else 0f. */
    float keep(int bits) {
      if (bits == upperBits || bits == lowerBits) {
        return tied(bits) ? 1f : 0f; // rare: the boundary values themselves
      }
      // branch-free: which entries fall outside is as unpredictable as their magnitudes
      int belowUpper = upperBefore == null ? 1 : (bits - upperBits) >>> 31; // bits < upperBits
      int aboveLower = lowerBefore == null ? 1 : (lowerBits - bits) >>> 31; // bits > lowerBits
      return (float) (belowUpper & aboveLower);
    }

    private boolean tied(int bits) {
      boolean kept = true;
      if (upperBefore != null) {
        if (bits > upperBits) {
          kept = false;
        } else if (bits == upperBits) {
          kept = upperSeen++ >= upperDrop;
        }
      }
      if (lowerBefore != null) {
        if (bits < lowerBits) {
          kept = false;
        } else if (bits == lowerBits) {
          kept &= lowerSeen++ < lowerKeep;
        }
      }
      return kept;
    }
  }

  /**
   * 1f for x > 0, 0f for x <= 0 (NaN for NaN), without a branch: the difference of two distinct
   * finite floats is never 0, and the smallest (2^-149) times 2^254 still reaches the clamp at 1.
   */
  private static float positive(float x) {
    return Math.min(Math.max(x, 0f) * HUGE * HUGE, 1f);
  }

  /** The bits of |x|, ordered like the magnitudes (NaN above infinity). */
  static int magnitudeBits(float x) {
    return Float.floatToRawIntBits(x) & 0x7fffffff;
  }

  /** Pass 1: how many |tau| fall in each bucket of their top 16 bits (written out: the hot loop). */
  private static long[] highCounts(FloatInput theta, FloatInput base, int from, int to) {
    int[] counts = new int[BUCKETS];
    float[] s = new float[Parts.SLICE];
    float[] b = new float[Parts.SLICE];
    for (int start = from; start < to; start += Parts.SLICE) {
      int len = Math.min(Parts.SLICE, to - start);
      theta.get(start, s, 0, len);
      base.get(start, b, 0, len);
      for (int j = 0; j < len; j++) {
        counts[magnitudeBits(s[j] - b[j]) >>> 16]++;
      }
    }
    long[] out = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      out[i] = counts[i];
    }
    return out;
  }

  private interface BitsConsumer {
    void accept(int bits);
  }

  private static void forEachMagnitude(FloatInput theta, FloatInput base, int from, int to, BitsConsumer consumer) {
    float[] s = new float[Parts.SLICE];
    float[] b = new float[Parts.SLICE];
    for (int start = from; start < to; start += Parts.SLICE) {
      int len = Math.min(Parts.SLICE, to - start);
      theta.get(start, s, 0, len);
      base.get(start, b, 0, len);
      for (int j = 0; j < len; j++) {
        consumer.accept(magnitudeBits(s[j] - b[j]));
      }
    }
  }
}
