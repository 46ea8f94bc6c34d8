package io.automerge.eval;

import java.util.Map;

/**
 * A model scored on one split of one task.
 *
 * @param samples examples scored (images or text windows)
 * @param units what the loss is averaged over (images, or predicted bytes for text)
 */
public record EvaluationResult(String task, String split, int samples, long units, double loss, Map<String, Double> metrics) {
  public EvaluationResult {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }
}
