package io.automerge.merge;

import io.automerge.merge.GeneralizedTaskArithmetic.Consensus;
import io.automerge.merge.GeneralizedTaskArithmetic.Sparsification;
import java.nio.FloatBuffer;

/**
 * The task-arithmetic family on the host, as one fused multi-core pass in plain Java: per slice
 * of elements every model's task vector is formed, sparsified and summed while the slice is in
 * cache, and the result is written once. The float operations and their order are those of the
 * PyTorch path in {@link GeneralizedTaskArithmetic} (each rounded to float32, no fused
 * multiply-add), so both give the same bytes; a test holds them to that.
 *
 * <p>Sparsification needs, per model, at most two extra read passes (the exact radix select of
 * {@link MagnitudeBand}); DARE's and DELLA's masks are drawn by element index ({@link MaskStream}),
 * so the parts need no coordination.
 */
final class TaskVectorKernel {
  private static final int SIGN_SLICE = 4 * 1024;
  private static final int INFINITY_BITS = 0x7f800000;

  private TaskVectorKernel() {}

  /** What one model's sparsification does to a slice of its task vector, in place. */
  private interface Sparsifier {
    void apply(int start, float[] tau, int len);
  }

  /** Makes a model's {@link Sparsifier} for one part (the parts run concurrently). */
  private interface SparsifierFactory {
    Sparsifier forPart(int part);
  }

  /**
   * @param rowLength DELLA ranks within rows of this length (the whole tensor for other techniques)
   */
  static void merge(GeneralizedTaskArithmetic method, FloatInput base, FloatInput[] sources, int n,
      int rowLength, ResolvedParams params, MaskKey key, FloatBuffer out) {
    double[] weights = params.values("weight");
    float lambda = (float) params.number("lambda");
    boolean normalize = params.flag("normalize");
    boolean ranked = method.sparsification() == Sparsification.RANKED;
    int row = ranked ? Math.max(1, rowLength) : 1;
    Parts parts = Parts.of(n, row);
    MagnitudeBand[] bands = bands(method, base, sources, n, params, parts);
    SparsifierFactory[] sparsifiers = new SparsifierFactory[sources.length];
    for (int i = 0; i < sources.length; i++) {
      sparsifiers[i] = bands != null ? band(bands[i])
          : sparsifier(method, base, sources[i], n, row, params, key, i, parts);
    }
    float divisor = (float) sum(weights);
    float plainDivisor = divisor == 0 ? 1f : divisor;
    boolean sign = method.consensus() == Consensus.SIGN;
    boolean nonNegative = java.util.Arrays.stream(weights).allMatch(w -> w >= 0);
    // the sign split keeps six slice buffers live: smaller slices keep them in L1/L2
    int slice = sign ? SIGN_SLICE : Parts.SLICE;
    int window = ranked ? Math.max(1, slice / row) * row : slice;
    parts.forEach((part, from, to) -> {
      int cap = Math.min(window, Math.max(1, to - from));
      float[] b = new float[cap];
      float[] tau = new float[cap];
      float[] acc = new float[cap];
      float[] neg = sign ? new float[cap] : null;
      float[] posW = sign && normalize ? new float[cap] : null;
      float[] negW = sign && normalize ? new float[cap] : null;
      Sparsifier[] mine = new Sparsifier[sources.length];
      for (int i = 0; i < mine.length; i++) {
        mine[i] = sparsifiers[i] == null ? null : sparsifiers[i].forPart(part);
      }
      for (int start = from; start < to; start += cap) {
        int len = Math.min(cap, to - start);
        base.get(start, b, 0, len);
        if (sign) {
          java.util.Arrays.fill(acc, 0, len, 0f);
          java.util.Arrays.fill(neg, 0, len, 0f);
          if (posW != null) {
            java.util.Arrays.fill(posW, 0, len, 0f);
            java.util.Arrays.fill(negW, 0, len, 0f);
          }
        }
        for (int i = 0; i < sources.length; i++) {
          sources[i].get(start, tau, 0, len);
          for (int j = 0; j < len; j++) {
            tau[j] = tau[j] - b[j];
          }
          if (mine[i] != null) {
            mine[i].apply(start, tau, len);
          }
          float w = (float) weights[i];
          if (sign) {
            signSplit(tau, len, w, acc, neg, posW, negW);
          } else if (i == 0) {
            for (int j = 0; j < len; j++) {
              acc[j] = tau[j] * w;
            }
          } else {
            for (int j = 0; j < len; j++) {
              acc[j] = acc[j] + tau[j] * w;
            }
          }
        }
        if (sign && nonNegative) {
          electNonNegative(acc, neg, posW, negW, len);
        } else if (sign) {
          elect(acc, neg, posW, negW, len);
        } else if (normalize) {
          for (int j = 0; j < len; j++) {
            acc[j] = acc[j] / plainDivisor;
          }
        }
        if (lambda != 1f) {
          for (int j = 0; j < len; j++) {
            acc[j] = acc[j] * lambda;
          }
        }
        for (int j = 0; j < len; j++) {
          acc[j] = acc[j] + b[j];
        }
        out.put(start, acc, 0, len);
      }
    });
  }

  /*
   * The loops below are branch-free: float selects compile to branches on x86, and signs of task
   * vector entries are as unpredictable as coin flips. Signs and zeros are read from the bits
   * (a NaN counts as nonzero; it poisons the result either way).
   */

  /** 1 where the float's magnitude is nonzero (-0 and +0 give 0). */
  private static int nonzero(int bits) {
    return ((bits & 0x7fffffff) + 0x7fffffff) >>> 31;
  }

  /** Positive and negative parts summed apart (see GeneralizedTaskArithmetic.SignSplit); pos is acc. */
  private static void signSplit(float[] tau, int len, float w, float[] pos, float[] neg, float[] posW, float[] negW) {
    for (int j = 0; j < len; j++) {
      float t = tau[j];
      float up = Math.max(t, 0f);
      float down = t - up;
      pos[j] = pos[j] + up * w;
      neg[j] = neg[j] + down * w;
    }
    if (posW != null) {
      // The indicators are exactly 1f or 0f, as (float) (nonzero & sign) would give, but from
      // max, min and multiplies, which the JIT vectorizes (bit casts it does not: 6x slower).
      for (int j = 0; j < len; j++) {
        float t = tau[j];
        posW[j] = posW[j] + indicator(Math.max(t, 0f)) * w;
        negW[j] = negW[j] + indicator(Math.max(-t, 0f)) * w;
      }
    }
  }

  private static final float HUGE = 0x1p127f;

  /**
   * 1f for x > 0, 0f for x = 0 (x >= 0): the smallest subnormal times 2^254 is 2^105, so every
   * positive x reaches the clamp at 1. (A NaN stays NaN; the result is NaN there anyway.)
   */
  private static float indicator(float x) {
    return Math.min(x * HUGE * HUGE, 1f);
  }

  /** The elected sign's part, over its weight when normalizing (a zero divisor counts as 1); into pos. */
  private static void elect(float[] pos, float[] neg, float[] posW, float[] negW, int len) {
    for (int j = 0; j < len; j++) {
      int sum = Float.floatToRawIntBits(pos[j] + neg[j]);
      int positive = ((sum >>> 31) & nonzero(sum)) - 1; // all ones unless the sum is below 0
      float numerator = Float.intBitsToFloat((Float.floatToRawIntBits(pos[j]) & positive)
          | (Float.floatToRawIntBits(neg[j]) & ~positive));
      if (posW != null) {
        int d = (Float.floatToRawIntBits(posW[j]) & positive) | (Float.floatToRawIntBits(negW[j]) & ~positive);
        float divisor = Float.intBitsToFloat(d);
        divisor = divisor + (float) (1 - nonzero(d));
        numerator = numerator / divisor;
      }
      pos[j] = numerator;
    }
  }

  /**
   * {@link #elect} where every weight is at least 0, in multiplies, additions and max, which the JIT
   * vectorizes (about four times faster). The parts are then +0 or positive (pos) and +0 or
   * negative (neg), so the discarded part times 0 is a +0 or -0 that adds nothing to the chosen
   * one, and the bytes are elect's for finite values; with a NaN, or both infinities, the result
   * is NaN. (A negative weight can make pos -0, which a +0 would turn into +0: elect then.)
   */
  private static void electNonNegative(float[] pos, float[] neg, float[] posW, float[] negW, int len) {
    if (posW == null) {
      for (int j = 0; j < len; j++) {
        float p = pos[j];
        float q = neg[j];
        float down = indicator(Math.max(-(p + q), 0f)); // 1 where the sum is below 0
        pos[j] = p * (1f - down) + q * down;
      }
      return;
    }
    for (int j = 0; j < len; j++) {
      float p = pos[j];
      float q = neg[j];
      float down = indicator(Math.max(-(p + q), 0f));
      float up = 1f - down;
      float numerator = p * up + q * down;
      float divisor = posW[j] * up + negW[j] * down;
      divisor = divisor + (1f - indicator(divisor)); // a zero divisor counts as 1
      pos[j] = numerator / divisor;
    }
  }

  /** 1f where an unsigned 32-bit uniform is below the threshold, else 0f. */
  private static float keep(long uniform, long threshold) {
    return (float) ((uniform - threshold) >>> 63);
  }

  private static SparsifierFactory sparsifier(GeneralizedTaskArithmetic method, FloatInput base,
      FloatInput theta, int n, int row, ResolvedParams params, MaskKey key, int model, Parts parts) {
    switch (method.sparsification()) {
      case NONE:
        return null;
      case MAGNITUDE:
      case BAND:
        throw new IllegalStateException("magnitude bands are found together, by bands()");
      case RANDOM: {
        double density = params.values("density")[model];
        if (density >= 1) {
          return null;
        }
        MaskStream stream = new MaskStream(key.streamSeed(model));
        long threshold = MaskStream.threshold(density);
        float d = (float) density;
        return part -> {
          float[][] mask = {new float[0]};
          return (start, tau, len) -> {
            if (mask[0].length < len) {
              mask[0] = new float[len];
            }
            float[] keep = mask[0];
            dareKeep(stream, start, len, threshold, keep);
            // apart from the draws, so the JIT vectorizes it; the same operations as before
            for (int j = 0; j < len; j++) {
              tau[j] = tau[j] * keep[j] / d;
            }
          };
        };
      }
      case RANKED:
        return ranked(params.values("density")[model], params.number("epsilon"),
            new MaskStream(key.streamSeed(model)), row);
      default:
        throw new IllegalStateException("unknown sparsification " + method.sparsification());
    }
  }

  /** keep[j] = 1f where element start + j of DARE's stream is kept, else 0f. */
  private static void dareKeep(MaskStream stream, int start, int len, long threshold, float[] keep) {
    int j = 0;
    if ((start & 1) == 1) { // an odd start takes the low half of the pair it shares
      keep[0] = keep(stream.uniform(start), threshold);
      j = 1;
    }
    for (; j + 1 < len; j += 2) { // one draw, two uniforms
      long bits = stream.draw((start + j) >>> 1);
      keep[j] = keep(bits >>> 32, threshold);
      keep[j + 1] = keep(bits & 0xffffffffL, threshold);
    }
    if (j < len) {
      keep[j] = keep(stream.uniform(start + j), threshold);
    }
  }

  /**
   * TIES' and Model Breadcrumbs' bands of every model, found together (one sampled pass reads the
   * base once for all models); null for the other sparsifications. A model whose band keeps
   * everything gets null.
   */
  private static MagnitudeBand[] bands(GeneralizedTaskArithmetic method, FloatInput base, FloatInput[] sources,
      int n, ResolvedParams params, Parts parts) {
    Sparsification sparsification = method.sparsification();
    if (sparsification != Sparsification.MAGNITUDE && sparsification != Sparsification.BAND) {
      return null;
    }
    double[] densities = params.values("density");
    FloatInput[] banded = new FloatInput[sources.length];
    long[] from = new long[sources.length];
    long[] to = new long[sources.length];
    for (int i = 0; i < sources.length; i++) {
      long keep = Math.max(1L, (long) Math.floor(densities[i] * n));
      if (sparsification == Sparsification.MAGNITUDE) {
        if (keep < n) {
          banded[i] = sources[i];
          to[i] = keep;
        }
        continue;
      }
      long top = (long) Math.floor(params.number("gamma") * n);
      long bottom = n - keep - top;
      if (bottom < 0) {
        top += bottom;
        bottom = 0;
      }
      if (top != 0 || bottom != 0) {
        // ascending ranks [bottom, n - top) are descending ranks [top, n - bottom)
        banded[i] = sources[i];
        from[i] = top;
        to[i] = n - bottom;
      }
    }
    return MagnitudeBand.of(banded, base, n, from, to, parts);
  }

  private static SparsifierFactory band(MagnitudeBand band) {
    if (band == null || band.keepsAll()) {
      return null;
    }
    return part -> {
      MagnitudeBand.Cursor cursor = band.cursor(part);
      return cursor::apply;
    };
  }

  /**
   * DELLA's MAGPRUNE: within each row, the entry of ascending |tau| rank r is kept with
   * probability p_r = (density - epsilon) + 2 epsilon r / (m - 1) and then divided by p_r.
   */
  private static SparsifierFactory ranked(double density, double epsilon, MaskStream stream, int m) {
    long[] thresholds = new long[m];
    int[] probabilities = new int[m]; // the bits of p_r
    for (int r = 0; r < m; r++) {
      double p = m == 1 ? density : (density - epsilon) + 2 * epsilon * r / (m - 1);
      thresholds[r] = MaskStream.threshold(p);
      probabilities[r] = Float.floatToRawIntBits((float) p);
    }
    return part -> {
      RowRanks ranks = new RowRanks(m);
      long[] draws = new long[m / 2 + 2];
      float[][] divisors = {new float[0]};
      return (start, tau, len) -> {
        if (divisors[0].length < len) {
          divisors[0] = new float[len];
        }
        float[] divisor = divisors[0];
        for (int rowStart = 0; rowStart < len; rowStart += m) {
          long[] sorted = ranks.sorted(tau, rowStart); // ascending magnitude, ties by index: the stable order
          rankedKeep(stream, (long) start + rowStart, sorted, m, draws, thresholds, probabilities, divisor, rowStart);
        }
        // in index order, apart from the draws, and with tau's index (arrays read at different
        // offsets might overlap, which keeps the JIT from vectorizing). tau / p where kept and
        // tau / infinity where not are the bytes of (tau * keep) / p: tau * 1 is tau, and both
        // give a zero of tau's sign for a finite tau and NaN for an infinite or NaN one.
        for (int j = 0; j < len; j++) {
          tau[j] = tau[j] / divisor[j];
        }
      };
    };
  }

  /**
   * One row of MAGPRUNE in rank order: rank r's threshold and p meet the uniform of the element
   * at rank r. The row's draws are made first in index order (one draw serves two neighbouring
   * elements, as in DARE), so element e's uniform and its rank's threshold and p are those of any
   * other order, and so are the bytes. Element j's divisor goes to divisor[at + j].
   */
  private static void rankedKeep(MaskStream stream, long element, long[] sorted, int m,
      long[] draws, long[] thresholds, int[] probabilities, float[] divisor, int at) {
    long first = element >>> 1;
    int pairs = (int) (((element + m - 1) >>> 1) - first) + 1;
    stream.draws(first, pairs, draws);
    int odd = (int) (element & 1); // an odd start takes the low half of the pair it shares
    for (int r = 0; r < m; r++) {
      int j = (int) sorted[r];
      int g = j + odd; // the element's place counted from the first pair's even element
      long u = (draws[g >>> 1] >>> (((~g) & 1) << 5)) & 0xffffffffL; // high half for even, low for odd
      int kept = (int) ((u - thresholds[r]) >>> 63) * -1; // all ones where kept (uniform below threshold)
      divisor[at + j] = Float.intBitsToFloat((probabilities[r] & kept) | (INFINITY_BITS & ~kept));
    }
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
