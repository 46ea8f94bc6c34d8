package io.automerge.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.data.MetricAccumulator;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskBatch;
import io.automerge.model.ArchitectureModel;
import java.util.List;

/** A task's first {@code samples} val examples, resident as batches, and the exact mean loss on them. */
final class ValidationSet {
  private final Task task;
  private final List<TaskBatch> batches;

  ValidationSet(Task task, int samples, int batchSize, NDManager manager) {
    this.task = task;
    this.batches = task.batches(manager, Split.VAL, batchSize, samples);
    if (batches.isEmpty()) {
      throw new io.automerge.InvalidInputException("task " + task.name() + ": the val split is empty");
    }
  }

  Task task() {
    return task;
  }

  /** Mean per-unit loss (images, bytes or scored tokens) over every batch, as the task defines it; inference only. */
  double meanLoss(ArchitectureModel model, NDManager scope) {
    MetricAccumulator acc = task.newMetrics();
    for (TaskBatch batch : batches) {
      try (NDManager batchScope = scope.newSubManager()) {
        // Results land in the input's manager: lend the resident batch to this scope.
        NDArray inputs = batch.inputs();
        NDArray labels = batch.labels();
        inputs.tempAttach(batchScope);
        labels.tempAttach(batchScope);
        acc.add(model.forward(inputs, false), labels);
      }
    }
    return acc.meanLoss();
  }
}
