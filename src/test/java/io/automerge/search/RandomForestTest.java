package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomForestTest {
  @Test
  void separatesInactiveDensityFromActiveValues() {
    // Feature 0: technique (3 categories, only 1 and 2 use density); feature 1: density or −1.
    // The cost depends on the density alone: a forest that did not split at −1 could not fit it.
    Rng rng = new Rng(5);
    int n = 120;
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int technique = i % 3;
      x[i][0] = technique;
      x[i][1] = technique == 0 ? SearchSpace.INACTIVE : rng.nextDouble();
      y[i] = technique == 0 ? -3.0 : -x[i][1];
    }
    RandomForest forest = RandomForest.train(x, y, new int[] {3, 0}, 10, 2, 1, new Rng(9));
    double[][] queries = {{0, -1}, {1, 0.05}, {2, 0.95}, {1, 0.5}};
    double[] mean = new double[4];
    double[] variance = new double[4];
    forest.predict(queries, mean, variance);
    assertThat(mean[0]).isCloseTo(-3.0, within(1e-6));
    assertThat(variance[0]).isEqualTo(RandomForest.VARIANCE_FLOOR);
    assertThat(mean[1]).isCloseTo(-0.05, within(0.1));
    assertThat(mean[2]).isCloseTo(-0.95, within(0.1));
    assertThat(mean[3]).isCloseTo(-0.5, within(0.1));
  }

  @Test
  void categoricalSplitsGroupCategoriesByResponseNotByIndex() {
    // Categories 1 and 3 are good, 0, 2, 4 bad: one subset split separates them; single
    // trees without bootstrap noise in the data must predict each category exactly.
    int n = 250;
    double[][] x = new double[n][1];
    double[] y = new double[n];
    double[] value = {-1, -4, -1, -4, -1};
    for (int i = 0; i < n; i++) {
      x[i][0] = i % 5;
      y[i] = value[i % 5];
    }
    RandomForest forest = RandomForest.train(x, y, new int[] {5}, 10, 2, 1, new Rng(1));
    double[][] queries = {{0}, {1}, {2}, {3}, {4}};
    double[] mean = new double[5];
    double[] variance = new double[5];
    forest.predict(queries, mean, variance);
    for (int c = 0; c < 5; c++) {
      assertThat(mean[c]).isCloseTo(value[c], within(1e-6));
    }
  }

  @Test
  void fitsASmoothFunctionAndAgreesWhereDataIsDense() {
    Rng rng = new Rng(2);
    int n = 40;
    double[][] x = new double[n][1];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = 0.5 * rng.nextDouble(); // data only in [0, 0.5)
      y[i] = Math.sin(12 * x[i][0]);
    }
    RandomForest forest = RandomForest.train(x, y, new int[] {0}, 10, 2, 1, new Rng(4));
    double[] mean = new double[2];
    double[] variance = new double[2];
    forest.predict(new double[][] {{0.25}, {0.1}}, mean, variance);
    assertThat(mean[0]).isCloseTo(Math.sin(3), within(0.25));
    assertThat(mean[1]).isCloseTo(Math.sin(1.2), within(0.25));
    assertThat(variance[0]).isLessThan(0.1);
  }
}
