package io.automerge.merge;

/**
 * Dot products and norms over a tensor that come out the same whatever the number of cores:
 * each fixed-size slice is summed in double on its own, and the slices' sums are added in index
 * order afterwards.
 */
final class SliceSums {
  private SliceSums() {}

  interface Body {
    /** Adds the slice [start, start + len) into {@code sums} (fresh zeros per slice). */
    void add(int start, int len, double[] sums);
  }

  static double[] of(int n, int width, Body body) {
    int slices = (n + Parts.SLICE - 1) / Parts.SLICE;
    double[][] perSlice = new double[Math.max(1, slices)][];
    Parts.of(n, Parts.SLICE).forEach((part, from, to) -> {
      for (int start = from; start < to; start += Parts.SLICE) {
        double[] sums = new double[width];
        body.add(start, Math.min(Parts.SLICE, to - start), sums);
        perSlice[start / Parts.SLICE] = sums;
      }
    });
    double[] total = new double[width];
    for (double[] sums : perSlice) {
      if (sums != null) {
        for (int k = 0; k < width; k++) {
          total[k] += sums[k];
        }
      }
    }
    return total;
  }
}
