package io.automerge.eval;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Preservation rate and discrepancy (DESIGN section 4): PR_t = mean over the task's metrics of
 * score(M) / score(S_t) x 100 %, and PD = max PR - min PR. For a metric where lower is better
 * ({@code bits_per_byte}) the ratio is inverted, S / M, so 100 % still means "as good as the
 * source" and more is better. A metric whose ratio has a zero denominator (a source with 0 accuracy)
 * has no preservation rate and is left out of the mean.
 */
public final class Preservation {
  /** The built-in and declared tasks' lower-is-better metrics (a command task lists its own). */
  public static final Set<String> LOWER_IS_BETTER = Set.of("bits_per_byte", "perplexity");

  private Preservation() {}

  /** PR in percent over the metrics the source reports. */
  public static double rate(Map<String, Double> merged, Map<String, Double> source) {
    return rate(merged, source, LOWER_IS_BETTER);
  }

  /** PR in percent, inverting the ratio of the metrics in {@code lowerIsBetter} (the task's own list). */
  public static double rate(Map<String, Double> merged, Map<String, Double> source, Set<String> lowerIsBetter) {
    if (source.isEmpty()) {
      throw new IllegalArgumentException("no metrics to compare");
    }
    double sum = 0;
    int counted = 0;
    for (Map.Entry<String, Double> metric : source.entrySet()) {
      Double m = merged.get(metric.getKey());
      if (m == null) {
        throw new IllegalArgumentException("merged model has no metric " + metric.getKey());
      }
      double s = metric.getValue();
      boolean lower = lowerIsBetter.contains(metric.getKey());
      if ((lower ? m : s) != 0) {
        sum += lower ? s / m : m / s;
        counted++;
      }
    }
    return counted == 0 ? Double.NaN : 100.0 * sum / counted;
  }

  /** PD = max PR - min PR, in percentage points. */
  public static double discrepancy(Collection<Double> rates) {
    double max = rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double min = rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    return max - min;
  }
}
