package io.automerge.experiment;

import java.util.List;

/** Median and range over seeds: what the tables print as "median [min–max]". */
public record Stats(double median, double min, double max) {
  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1]);
  }

  public List<Double> range() {
    return List.of(min, max);
  }
}
