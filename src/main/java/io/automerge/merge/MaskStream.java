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
