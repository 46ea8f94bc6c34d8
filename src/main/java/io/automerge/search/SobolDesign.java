package io.automerge.search;

import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Initial design: the Sobol sequence without its first point (the origin), moved by one random
 * shift per dimension modulo 1 (Cranley–Patterson rotation), so different seeds give different
 * designs. The rotation is an isometry of the torus: the shifted points keep the sequence's
 * stratification, in the grid moved by the same shift.
 */
final class SobolDesign {
  private static final long PURPOSE = 0x50B0L;

  private SobolDesign() {}

  /** The first {@code count} points of the shifted sequence, each in [0, 1)^dimensions. */
  static double[][] unitPoints(int dimensions, int count, long seed) {
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(dimensions);
    sobol.nextVector(); // the origin: skipped, as SMAC and scipy do
    double[] shift = shift(dimensions, seed);
    double[][] points = new double[count][];
    for (int i = 0; i < count; i++) {
      double[] p = sobol.nextVector();
      for (int d = 0; d < dimensions; d++) {
        double v = p[d] + shift[d];
        p[d] = v - Math.floor(v);
      }
      points[i] = p;
    }
    return points;
  }

  static double[] shift(int dimensions, long seed) {
    Rng rng = Rng.derive(seed, 0, PURPOSE);
    double[] shift = new double[dimensions];
    for (int d = 0; d < dimensions; d++) {
      shift[d] = rng.nextDouble();
    }
    return shift;
  }
}
