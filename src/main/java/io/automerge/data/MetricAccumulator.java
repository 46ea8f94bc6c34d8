package io.automerge.data;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Sums a task's loss and metrics over batches so that the result is exact, not a mean of means. */
public interface MetricAccumulator {
  /** Adds one batch of model outputs and its labels. */
  void add(NDArray outputs, NDArray labels);

  /** Mean loss over every scored unit (image or predicted byte) seen so far. */
  double meanLoss();

  /** Number of scored units (images, or predicted bytes for text). */
  long units();

  /** Metric name to value, in a stable order. */
  Map<String, Double> metrics();
}
