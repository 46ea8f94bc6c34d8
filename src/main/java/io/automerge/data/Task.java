package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A named task with fixed train/val/test splits, its loss and its metrics. The search uses
 * {@link #batches} of the val split and {@link #loss}; reports use {@link #newMetrics()}.
 */
public sealed interface Task extends ModelTask
    permits ImageClassificationTask, NextByteTask, TokenTask, MultipleChoiceTask, ImageFolderTask {

  /** The name it was parsed from, e.g. {@code fashion-mnist:tops} or {@code fortunes:de}. */
  @Override
  String name();

  /** Metrics where lower is better; none unless a task says so. */
  @Override
  default Set<String> lowerIsBetter() {
    return Set.of();
  }

  /** Number of samples (images, text windows, examples) in a split. */
  int size(Split split);

  /** Examples {@code [from, from + count)} of a split, in a fixed order. */
  TaskBatch batch(NDManager manager, Split split, int from, int count);

  /** A random training batch; the same {@code rng} state gives the same batch. */
  TaskBatch randomTrainBatch(NDManager manager, Random rng, int count);

  /** Mean loss of a batch, differentiable (cross-entropy over the head's classes or bytes). */
  default NDArray loss(NDArray outputs, NDArray labels) {
    return crossEntropyPerUnit(outputs, labels).mean();
  }

  MetricAccumulator newMetrics();

  /** Consecutive batches covering the first {@code limit} examples ({@code limit <= 0}: all). */
  default List<TaskBatch> batches(NDManager manager, Split split, int batchSize, int limit) {
    int total = limit > 0 ? Math.min(limit, size(split)) : size(split);
    List<TaskBatch> out = new ArrayList<>();
    for (int from = 0; from < total; from += batchSize) {
      out.add(batch(manager, split, from, Math.min(batchSize, total - from)));
    }
    return out;
  }

  /** Per-unit cross-entropy: {@code -log softmax(outputs)[label]} along the last axis. */
  static NDArray crossEntropyPerUnit(NDArray outputs, NDArray labels) {
    NDArray logProbs = outputs.logSoftmax(-1);
    return logProbs.gather(labels.expandDims(-1), -1).squeeze(-1).neg();
  }
}
