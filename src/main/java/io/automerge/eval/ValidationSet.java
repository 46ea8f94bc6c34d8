package io.automerge.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.data.MetricAccumulator;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskBatch;
import io.automerge.model.ArchitectureModel;
import java.util.List;

/** A task's first {@code samples} val examples, resident as batches, and the exact scores on them. */
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

  /** Loss, metrics and uniform-predictor loss over every resident batch, inference only. */
  TaskScore score(ArchitectureModel model, NDManager scope) {
    MetricAccumulator acc = task.newMetrics();
    long outputs = 0;
    for (TaskBatch batch : batches) {
      try (NDManager batchScope = scope.newSubManager()) {
        // Results land in the input's manager: lend the resident batch to this scope.
        NDArray inputs = batch.inputs();
        NDArray labels = batch.labels();
        inputs.tempAttach(batchScope);
        labels.tempAttach(batchScope);
        NDArray logits = model.forward(inputs, false);
        outputs = logits.getShape().get(logits.getShape().dimension() - 1);
        acc.add(logits, labels);
      }
    }
    return new TaskScore(acc.meanLoss(), acc.metrics(), Math.log(outputs));
  }

  /** The same measures on the task's whole val split, batch by batch (the final re-scoring). */
  static TaskScore scoreAll(ArchitectureModel model, Task task, int batchSize, NDManager manager) {
    MetricAccumulator acc = task.newMetrics();
    long outputs = 0;
    int total = task.size(Split.VAL);
    for (int from = 0; from < total; from += batchSize) {
      try (NDManager scope = manager.newSubManager()) {
        TaskBatch batch = task.batch(scope, Split.VAL, from, Math.min(batchSize, total - from));
        NDArray logits = model.forward(batch.inputs(), false);
        outputs = logits.getShape().get(logits.getShape().dimension() - 1);
        acc.add(logits, batch.labels());
      }
    }
    return new TaskScore(acc.meanLoss(), acc.metrics(), Math.log(outputs));
  }
}
