package io.automerge.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.automerge.data.MetricAccumulator;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskBatch;
import io.automerge.model.ArchitectureModel;
import java.util.List;

/** A task's first {@code samples} val examples, resident as batches, and the exact scores on them. */
public final class ValidationSet {
  private final Task task;
  private final List<TaskBatch> batches;

  public ValidationSet(Task task, int samples, int batchSize, NDManager manager) {
    this.task = task;
    this.batches = task.batches(manager, Split.VAL, batchSize, samples);
    if (batches.isEmpty()) {
      throw new io.automerge.InvalidInputException("task " + task.name() + ": the val split is empty");
    }
  }

  public Task task() {
    return task;
  }

  /** Loss, metrics and uniform-predictor loss over every resident batch, inference only. */
  public TaskScore score(ArchitectureModel model, NDManager scope) {
    return score(model, scope, Integer.MAX_VALUE);
  }

  /** Examples resident (the validation sample, or fewer when the split is smaller). */
  public int size() {
    return batches.stream().mapToInt(TaskBatch::samples).sum();
  }

  /**
   * The same measures on the first {@code limit} resident examples only (a multi-fidelity rung):
   * whole batches, then the head of the batch the limit falls in.
   */
  public TaskScore score(ArchitectureModel model, NDManager scope, int limit) {
    Scoring scoring = new Scoring(task);
    int left = limit;
    for (TaskBatch batch : batches) {
      if (left <= 0) {
        break;
      }
      try (NDManager batchScope = scope.newSubManager()) {
        // Results land in the input's manager: lend the resident batch to this scope.
        NDArray inputs = batch.inputs();
        NDArray labels = batch.labels();
        inputs.tempAttach(batchScope);
        labels.tempAttach(batchScope);
        if (batch.samples() > left) {
          inputs = inputs.get(new NDIndex("0:" + left));
          labels = labels.get(new NDIndex("0:" + left));
        }
        scoring.add(model.forward(inputs, false), labels);
        left -= batch.samples();
      }
    }
    return scoring.result();
  }

  /** The same measures on the task's whole val split, batch by batch (the final re-scoring). */
  public static TaskScore scoreAll(ArchitectureModel model, Task task, int batchSize, NDManager manager) {
    Scoring scoring = new Scoring(task);
    int total = task.size(Split.VAL);
    for (int from = 0; from < total; from += batchSize) {
      try (NDManager scope = manager.newSubManager()) {
        TaskBatch batch = task.batch(scope, Split.VAL, from, Math.min(batchSize, total - from));
        scoring.add(model.forward(batch.inputs(), false), batch.labels());
      }
    }
    return scoring.result();
  }

  /** A task's metrics over batches, and the width K of the model's outputs (the uniform predictor's loss is ln K). */
  private static final class Scoring {
    private final MetricAccumulator metrics;
    private long outputs;

    Scoring(Task task) {
      this.metrics = task.newMetrics();
    }

    void add(NDArray logits, NDArray labels) {
      outputs = logits.getShape().get(logits.getShape().dimension() - 1);
      metrics.add(logits, labels);
    }

    TaskScore result() {
      return new TaskScore(metrics.meanLoss(), metrics.metrics(), Math.log(outputs));
    }
  }
}
