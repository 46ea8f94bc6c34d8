package io.automerge.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One model measured on one task's validation examples: the mean loss, the task's own metrics
 * (as the report computes them on test) and the loss of the uniform predictor over the model's
 * outputs, ln K, the reference a loss gap is normalized by (NaN where unknown: a command task),
 * and which metrics are lower-is-better.
 */
public record TaskScore(double loss, Map<String, Double> metrics, double uniformLoss, Set<String> lowerIsBetter) {
  public TaskScore {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics == null ? Map.of() : metrics));
    lowerIsBetter = lowerIsBetter == null ? Preservation.LOWER_IS_BETTER : Set.copyOf(lowerIsBetter);
  }

  /** A built-in or declared task's score: its lower-is-better metrics are the known ones. */
  public TaskScore(double loss, Map<String, Double> metrics, double uniformLoss) {
    this(loss, metrics, uniformLoss, null);
  }

  /** The losses of a map of scores, in the same order. */
  public static Map<String, Double> losses(Map<String, TaskScore> scores) {
    Map<String, Double> out = new LinkedHashMap<>();
    scores.forEach((task, s) -> out.put(task, s.loss()));
    return out;
  }

  /** The metrics of a map of scores, in the same order. */
  public static Map<String, Map<String, Double>> metrics(Map<String, TaskScore> scores) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    scores.forEach((task, s) -> out.put(task, s.metrics()));
    return out;
  }
}
