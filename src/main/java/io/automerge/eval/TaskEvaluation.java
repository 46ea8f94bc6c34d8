package io.automerge.eval;

import ai.djl.ndarray.NDManager;
import io.automerge.data.CommandTask;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.model.ArchitectureModel;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Scores a model on any task: a tensor task in process ({@link Evaluation}), a command task by
 * running its program on the model's checkpoint directory (asked for only when needed, so a
 * resident merge is written to disk only for command tasks).
 */
public final class TaskEvaluation {
  private TaskEvaluation() {}

  public static EvaluationResult evaluate(ModelTask task, ArchitectureModel model, Supplier<Path> checkpoint, Split split,
      int limit, int batchSize, NDManager manager) {
    if (task instanceof Task t) {
      return Evaluation.evaluate(model, t, split, limit, batchSize, manager);
    }
    return command((CommandTask) task, checkpoint.get(), split);
  }

  /** The program's loss and metrics; {@code samples} and {@code units} are unknown to us (0). */
  public static EvaluationResult command(CommandTask task, Path modelDir, Split split) {
    CommandTask.Result r = task.run(modelDir, split);
    return new EvaluationResult(task.name(), split.label(), 0, 0, r.loss(), r.metrics());
  }
}
