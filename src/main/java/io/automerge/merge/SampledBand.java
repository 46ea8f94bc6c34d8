package io.automerge.merge;

/**
 * One pass instead of two: a sample brackets each boundary magnitude; the pass counts the
 * entries above the bracket and keeps those inside it (a few percent), in index order, from
 * which the exact boundary and its ties per part follow. {@link #resolve} gives null when a
 * bracket missed its rank (then the radix select runs). The bracket only decides how fast the
 * band is found, never which band: the result is exact either way.
 */
final class SampledBand {
  private static final int SAMPLE = 1 << 16;
  /** Standard deviations of a sample quantile each side of a boundary's estimate. */
  private static final double SIGMAS = 5;

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

  /**
   * Where the sample reads: one random element in each of SAMPLE equal strata, so that the
   * sample is as good as a random one whatever the tensor's layout (a fixed stride can fall on
   * the same columns of every row), and the same every time.
   */
  static int[] positions(int n) {
    int stride = n / SAMPLE;
    int[] at = new int[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) {
      at[i] = i * stride + (int) Long.remainderUnsigned(mix(i), stride);
    }
    return at;
  }

  /** The base's values at the sample's positions: read once for all the models. */
  static float[] baseSample(FloatInput base, int[] positions) {
    float[] values = new float[positions.length];
    for (int i = 0; i < positions.length; i++) {
      values[i] = base.get(positions[i]);
    }
    return values;
  }

  SampledBand(int index, FloatInput theta, int[] positions, float[] baseSample, int n, long from, long to) {
    this.index = index;
    this.theta = theta;
    this.n = n;
    this.from = from;
    this.to = to;
    int[] sample = new int[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) {
      sample[i] = MagnitudeBand.magnitudeBits(theta.get(positions[i]) - baseSample[i]);
    }
    java.util.Arrays.sort(sample); // ascending: descending rank q is sample[SAMPLE - 1 - q]
    ranks = from > 0 && to < n ? new long[] {from, to - 1} : new long[] {from > 0 ? from : to - 1};
    lo = new int[ranks.length];
    hi = new int[ranks.length];
    for (int b = 0; b < ranks.length; b++) {
      double share = (double) ranks[b] / n;
      // a binomial count's spread, narrow near the ends (Breadcrumbs' top 1 %); the 16 covers
      // rounding and a small share's skew
      int margin = (int) Math.ceil(SIGMAS * Math.sqrt(SAMPLE * share * (1 - share))) + 16;
      int q = (int) (ranks[b] * SAMPLE / n);
      hi[b] = sample[SAMPLE - 1 - Math.max(0, q - margin)];
      lo[b] = sample[SAMPLE - 1 - Math.min(SAMPLE - 1, q + margin)];
    }
  }

  /** SplitMix64's finalizer: sample offsets that look random but are fixed. */
  private static long mix(long z) {
    z = (z + 0x9e3779b97f4a7c15L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
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
      finite &= value < MagnitudeBand.FLOAT_INFINITY_BITS;
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
  static void scan(java.util.List<SampledBand> models, FloatInput base, Parts parts) {
    if (models.isEmpty()) {
      return;
    }
    int p = parts.count();
    for (SampledBand model : models) {
      model.allocate(p);
    }
    parts.forEach((part, start, end) -> {
      Bracket[][] brackets = new Bracket[models.size()][];
      for (int m = 0; m < brackets.length; m++) {
        SampledBand model = models.get(m);
        brackets[m] = new Bracket[model.ranks.length];
        for (int k = 0; k < model.ranks.length; k++) {
          brackets[m][k] = new Bracket(model.lo[k], model.hi[k]);
        }
      }
      float[] s = new float[Parts.SLICE];
      float[] bb = new float[Parts.SLICE];
      int[] bits = new int[Parts.SLICE];
      for (int at = start; at < end; at += Parts.SLICE) {
        int len = Math.min(Parts.SLICE, end - at);
        base.get(at, bb, 0, len);
        for (int m = 0; m < brackets.length; m++) {
          models.get(m).theta.get(at, s, 0, len);
          BitCasts.magnitudeBits(s, bb, len, bits);
          Bracket.scan(brackets[m], bits, len, at);
        }
      }
      for (int m = 0; m < brackets.length; m++) {
        SampledBand model = models.get(m);
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
    int[] high = new int[MagnitudeBand.BUCKETS];
    for (int part = 0; part < values.length; part++) {
      int[] v = values[part];
      for (int i = 0; i < counts[part]; i++) {
        high[v[i] >>> 16]++;
      }
    }
    long above = 0;
    int bucket = MagnitudeBand.BUCKETS - 1;
    while (above + high[bucket] <= rank) {
      above += high[bucket--];
    }
    int[] low = new int[MagnitudeBand.BUCKETS];
    for (int part = 0; part < values.length; part++) {
      int[] v = values[part];
      for (int i = 0; i < counts[part]; i++) {
        if ((v[i] >>> 16) == bucket) {
          low[v[i] & 0xffff]++;
        }
      }
    }
    int digit = MagnitudeBand.BUCKETS - 1;
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

    /**
     * One model's brackets (one or two) over the magnitude bits of a slice starting at element
     * {@code at}, in index order: the counts of entries above vectorize; the inside tests share
     * one rarely taken branch.
     */
    static void scan(Bracket[] brackets, int[] bits, int len, int at) {
      for (Bracket bracket : brackets) {
        bracket.countAbove(bits, len);
      }
      Bracket x = brackets[0];
      Bracket y = brackets[brackets.length - 1]; // x again for one boundary
      // lo <= bits <= hi as one signed compare of offsets shifted by 2^31 (an unsigned compare)
      int xLo = x.lo;
      int xWidth = (x.hi - xLo) + Integer.MIN_VALUE;
      int yLo = y.lo;
      int yWidth = (y.hi - yLo) + Integer.MIN_VALUE;
      for (int j = 0; j < len; j++) {
        int v = bits[j];
        boolean inX = (v - xLo) + Integer.MIN_VALUE <= xWidth;
        boolean inY = (v - yLo) + Integer.MIN_VALUE <= yWidth;
        if (inX | inY) {
          if (inX) {
            x.append(v, at + j);
          }
          if (inY && y != x) {
            y.append(v, at + j);
          }
        }
      }
    }

    private void countAbove(int[] bits, int len) {
      int hi = this.hi;
      int above = 0;
      for (int j = 0; j < len; j++) {
        above += (hi - bits[j]) >>> 31; // bits > hi, without a branch
      }
      over += above;
    }

    private void append(int value, int position) {
      if (count == kept.length) {
        kept = java.util.Arrays.copyOf(kept, kept.length * 2);
        where = java.util.Arrays.copyOf(where, where.length * 2);
      }
      kept[count] = value;
      where[count++] = position;
    }
  }
}
