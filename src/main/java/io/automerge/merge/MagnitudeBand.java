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
  static final int BUCKETS = 1 << 16;

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
  int[][] ties;
  static final int FLOAT_INFINITY_BITS = 0x7f800000;
  private static final float HUGE = 0x1p127f;

  MagnitudeBand(long from, long to, int upperBits, long upperDrop, int lowerBits, long lowerKeep,
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
    java.util.List<Integer> toSample = new java.util.ArrayList<>();
    for (int i = 0; i < thetas.length; i++) {
      if (thetas[i] == null) {
        continue;
      }
      if (from[i] < 0 || to[i] > n || from[i] >= to[i]) {
        throw new IllegalArgumentException("rank band [" + from[i] + ", " + to[i] + ") of " + n);
      }
      if (n >= SAMPLED_MIN && (from[i] > 0 || to[i] < n)) {
        toSample.add(i);
      }
    }
    // the models' samples and resolutions are serial work each: side by side on the cores
    java.util.List<SampledBand> sampled = java.util.List.of();
    if (!toSample.isEmpty()) {
      int[] positions = SampledBand.positions(n);
      float[] baseSample = SampledBand.baseSample(base, positions);
      sampled = toSample.parallelStream()
          .map(i -> new SampledBand(i, thetas[i], positions, baseSample, n, from[i], to[i]))
          .toList();
    }
    SampledBand.scan(sampled, base, parts);
    sampled.parallelStream().forEach(model -> bands[model.index] = model.resolve(parts.count()));
    for (int i = 0; i < thetas.length; i++) {
      if (thetas[i] != null && bands[i] == null) {
        bands[i] = radix(thetas[i], base, n, from[i], to[i], parts);
      }
    }
    return bands;
  }

  private static final int SAMPLED_MIN = 1 << 20;

  /** Two radix passes over the top and the bottom 16 bits of |tau|. */
  static MagnitudeBand radix(FloatInput theta, FloatInput base, int n, long from, long to, Parts parts) {
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
