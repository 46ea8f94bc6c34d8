package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SobolDesignTest {
  private static final int DIMS = 9;
  private static final int POINTS = 20;
  private static final int CELLS = 32;

  @Test
  void everyDimensionIsStratifiedOnTheShiftedGrid() {
    for (long seed = 1; seed <= 10; seed++) {
      double[][] points = SobolDesign.unitPoints(DIMS, POINTS, seed);
      double[] shift = SobolDesign.shift(DIMS, seed);
      for (int d = 0; d < DIMS; d++) {
        assertThat(collides(points, d, shift[d])).as("seed %d dimension %d", seed, d).isFalse();
      }
    }
  }

  @Test
  void uniformRandomPointsDoNotPassTheSameCheck() {
    int collidingDimensions = 0;
    for (long seed = 1; seed <= 10; seed++) {
      Rng rng = new Rng(seed);
      double[][] points = new double[POINTS][DIMS];
      for (double[] p : points) {
        for (int d = 0; d < DIMS; d++) {
          p[d] = rng.nextDouble();
        }
      }
      double[] shift = SobolDesign.shift(DIMS, seed);
      for (int d = 0; d < DIMS; d++) {
        collidingDimensions += collides(points, d, shift[d]) ? 1 : 0;
      }
    }
    assertThat(collidingDimensions).isGreaterThan(80);
  }

  @Test
  void seedsGiveDifferentDesignsAndTheOriginIsSkipped() {
    double[][] a = SobolDesign.unitPoints(DIMS, POINTS, 1);
    double[][] b = SobolDesign.unitPoints(DIMS, POINTS, 2);
    assertThat(a[0]).isNotEqualTo(b[0]);
    double[] shift = SobolDesign.shift(DIMS, 1);
    // Unshifted, the first point handed out is the sequence's second one: 0.5 in every dimension.
    double unshifted = a[0][0] - shift[0];
    assertThat(unshifted - Math.floor(unshifted)).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
  }

  /** Whether two points share a cell of the 1-D grid of CELLS cells moved by the design's shift. */
  private static boolean collides(double[][] points, int d, double shift) {
    boolean[] used = new boolean[CELLS];
    for (double[] p : points) {
      double back = p[d] - shift;
      int cell = (int) Math.floor((back - Math.floor(back)) * CELLS + 1e-9) % CELLS;
      if (used[cell]) {
        return true;
      }
      used[cell] = true;
    }
    return false;
  }
}
