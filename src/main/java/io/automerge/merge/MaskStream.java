package io.automerge.merge;

/**
 * Random access into the stream of {@link DareMask}: element j's uniform is half of draw j / 2 of
 * {@code new SplittableRandom(streamSeed)} (high half for even j, low half for odd j). That
 * generator is SplitMix64 -- draw d is mix64(seed + (d + 1) * gamma) -- so a draw can be computed
 * from its index, and slices of one tensor can be drawn on several threads with the same bits.
 * A test holds it to {@link java.util.SplittableRandom}.
 */
final class MaskStream {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long seed;

  MaskStream(long streamSeed) {
    this.seed = streamSeed;
  }

  /** Draw {@code index} (0-based) of {@code new SplittableRandom(seed).nextLong()}. */
  long draw(long index) {
    long z = seed + (index + 1) * GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Draws {@code first .. first + count - 1} into {@code out[0 .. count)}, as {@link #draw} gives
   * them. The generator's states come from a table of offsets, not from the loop index (whose
   * widening to long keeps the JIT from vectorizing the loop): about three times faster.
   */
  void draws(long first, int count, long[] out) {
    for (int done = 0; done < count; done += STEPS.length) {
      long origin = seed + (first + done) * GOLDEN_GAMMA; // the state before draw first + done
      int len = Math.min(STEPS.length, count - done);
      for (int d = 0; d < len; d++) {
        long z = origin + STEPS[d];
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        out[done + d] = z ^ (z >>> 31);
      }
    }
  }

  /** STEPS[d] = (d + 1) * gamma: the state d + 1 draws on (wrapping, as the generator's). */
  private static final long[] STEPS = new long[2048];

  static {
    for (int d = 0; d < STEPS.length; d++) {
      STEPS[d] = (d + 1) * GOLDEN_GAMMA;
    }
  }

  /** Element j's uniform as an unsigned 32-bit value in a long. */
  long uniform(long element) {
    long bits = draw(element >>> 1);
    return (element & 1) == 0 ? bits >>> 32 : bits & 0xffffffffL;
  }

  /** The keep threshold of a probability: kept when uniform < threshold (DARE's rule). */
  static long threshold(double probability) {
    return (long) Math.floor(probability * 4294967296.0);
  }
}
