package io.automerge.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.data.MetricAccumulator;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskBatch;
import io.automerge.model.ArchitectureModel;
import java.util.LinkedHashMap;

/** Scores a model on a task split: exact mean loss and the task's metrics, batch by batch. */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Runs the first {@code limit} examples ({@code <= 0}: all) in batches of {@code batchSize}; each
   * batch lives in its own sub-manager of {@code manager}.
   */
  public static EvaluationResult evaluate(ArchitectureModel model, Task task, Split split, int limit, int batchSize, NDManager manager) {
    int total = limit > 0 ? Math.min(limit, task.size(split)) : task.size(split);
    MetricAccumulator acc = task.newMetrics();
    for (int from = 0; from < total; from += batchSize) {
      try (NDManager scope = manager.newSubManager()) {
        TaskBatch batch = task.batch(scope, split, from, Math.min(batchSize, total - from));
        NDArray outputs = model.forward(batch.inputs(), false);
        acc.add(outputs, batch.labels());
      }
    }
    return new EvaluationResult(task.name(), split.label(), total, acc.units(), acc.meanLoss(), new LinkedHashMap<>(acc.metrics()));
  }

  /** Mean loss only, as the search's objective needs it. */
  public static double meanLoss(ArchitectureModel model, Task task, Split split, int limit, int batchSize, NDManager manager) {
    return evaluate(model, task, split, limit, batchSize, manager).loss();
  }
}
