package io.automerge.search;

/**
 * SplitMix64 generator. Written out here (instead of java.util.SplittableRandom) so that the
 * stream for a given seed is fixed by this file, not by the JDK: replaying an event-sourced
 * search on another JVM must give the same proposals.
 */
final class Rng {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;
  private double spareGaussian = Double.NaN;

  Rng(long seed) {
    this.state = seed;
  }

  /** A generator for one purpose of one proposal: independent of how often others were used. */
  static Rng derive(long seed, long proposal, long purpose) {
    long mixed = mix(mix(seed ^ GOLDEN_GAMMA) + proposal * GOLDEN_GAMMA);
    return new Rng(mix(mixed + purpose * 0xBF58476D1CE4E5B9L));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    // Lemire-free simple rejection keeps it exactly uniform.
    long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
    long r;
    do {
      r = nextLong() >>> 1;
    } while (r >= limit);
    return (int) (r % bound);
  }

  boolean nextBoolean() {
    return nextLong() < 0;
  }

  /** Standard normal (Marsaglia polar method). */
  double nextGaussian() {
    if (!Double.isNaN(spareGaussian)) {
      double g = spareGaussian;
      spareGaussian = Double.NaN;
      return g;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = Math.sqrt(-2 * Math.log(s) / s);
    spareGaussian = v * factor;
    return u * factor;
  }
}
