package io.automerge.merge;

import java.util.stream.IntStream;

/**
 * Splits the elements [0, n) of a tensor into a few contiguous parts per core, each worked front
 * to back in cache-sized slices. More parts than cores let a core that finishes early take over
 * the parts of one that another process holds up (the cores are often shared). Every kernel gives
 * the same bytes for any number of parts.
 */
final class Parts {
  /** Floats per slice: a handful of slice buffers stay in L1/L2. */
  static final int SLICE = 16 * 1024;
  private static final int PARTS_PER_CORE = 4;

  private final int n;
  private final int count;
  private final int align;

  private Parts(int n, int align) {
    this.n = n;
    this.align = align;
    this.count = Math.max(1, Math.min(PARTS_PER_CORE * Runtime.getRuntime().availableProcessors(), n / SLICE));
  }

  /** Parts of [0, n) whose boundaries are multiples of {@code align} (a row length, or 1). */
  static Parts of(int n, int align) {
    return new Parts(n, Math.max(1, align));
  }

  int count() {
    return count;
  }

  int from(int part) {
    long units = (n + (long) align - 1) / align;
    return (int) Math.min(n, units * part / count * align);
  }

  int to(int part) {
    return part == count - 1 ? n : from(part + 1);
  }

  interface Body {
    void run(int part, int from, int to);
  }

  void forEach(Body body) {
    if (count == 1) {
      body.run(0, 0, n);
      return;
    }
    IntStream.range(0, count).parallel().forEach(p -> body.run(p, from(p), to(p)));
  }
}
