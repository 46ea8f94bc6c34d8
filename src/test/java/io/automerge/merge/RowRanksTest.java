package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RowRanks' order against a plain stable sort of the magnitudes' bits, on rows built to hit every path. */
class RowRanksTest {
  private static final int ROWS = 24;

  @Test
  void ordersEveryRowAsAStableSortByMagnitude() {
    Random random = new Random(14);
    for (int m : new int[] {1024, 1001, 300, 256, 255, 37, 2, 1}) {
      RowRanks ranks = new RowRanks(m);
      float[] tau = new float[ROWS * m + 3]; // rows at an offset, as in a slice buffer
      for (int row = 0; row < ROWS; row++) {
        int from = 3 + row * m;
        fill(tau, from, m, row, random);
        long[] sorted = ranks.sorted(tau, from);
        int[] want = reference(tau, from, m);
        for (int r = 0; r < m; r++) {
          assertThat((int) sorted[r]).as("m %d row %d (kind %d) rank %d", m, row, row % KINDS, r).isEqualTo(want[r]);
        }
      }
    }
  }

  private static final int KINDS = 12;

  private static void fill(float[] tau, int from, int m, int row, Random random) {
    for (int j = 0; j < m; j++) {
      float gaussian = (float) (random.nextGaussian() * 0.01);
      tau[from + j] = switch (row % KINDS) {
        case 0 -> (float) (random.nextDouble() * 0.1 - 0.05); // uniform, as the bench
        case 1 -> gaussian;
        case 2 -> (random.nextInt(17) - 8) / 8f; // many ties, zeros and signed twins
        case 3 -> random.nextInt(4) == 0 ? gaussian : 0f; // mostly zeros, some -0
        case 4 -> j == m / 2 ? 1e6f : gaussian; // one outlier: the rest crowd the first bucket
        case 5 -> j % 8 == 1 ? gaussian * 100 : gaussian; // the largest ones between the sampled entries
        case 6 -> j == m - 1 ? Float.POSITIVE_INFINITY : gaussian;
        case 7 -> j == 1 ? Float.NaN : j == 2 ? Float.NEGATIVE_INFINITY : gaussian; // not sampled: the last bucket
        case 8 -> 0f;
        case 9 -> j % 8 == 0 ? 0f : gaussian; // the sample is all zeros
        case 10 -> Float.MIN_VALUE * random.nextInt(50) * (random.nextBoolean() ? 1 : -1); // subnormal ties
        default -> (float) (Math.log(random.nextDouble()) * 0.01 * (random.nextBoolean() ? 1 : -1)); // Laplacian
      };
      if (row % KINDS == 3 && j % 5 == 0) {
        tau[from + j] = -0f;
      }
    }
  }

  /** Row indices in ascending order of the magnitude's bits, equal ones by index. */
  private static int[] reference(float[] tau, int from, int m) {
    Integer[] order = new Integer[m];
    for (int j = 0; j < m; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(MagnitudeBand.magnitudeBits(tau[from + x]),
        MagnitudeBand.magnitudeBits(tau[from + y]))); // a stable sort
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }
}
