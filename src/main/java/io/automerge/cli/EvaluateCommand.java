package io.automerge.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.automerge.InvalidInputException;
import io.automerge.data.CommandTask;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskCatalog;
import io.automerge.data.TaskSpec;
import io.automerge.data.TaskSpecs;
import io.automerge.eval.Evaluation;
import io.automerge.eval.EvaluationResult;
import io.automerge.eval.ModelTasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.train.PairTrainer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code automerge evaluate MODEL_DIR --task T [--spec SPEC]}: prints loss and metrics as one JSON object. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score a checkpoint on a task split; prints one JSON object.")
public final class EvaluateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Checkpoint directory (config.json + safetensors).")
  Path modelDir;

  @Option(names = "--task", required = true,
      description = "A task the spec declares, or a built-in one: fashion-mnist:tops, fashion-mnist:classes=0,1, fortunes:de, python:stdlib.")
  String task;

  @Option(names = "--spec", paramLabel = "SPEC", description = "A spec whose tasks: map declares the task (a search spec will do).")
  Path specFile;

  @Option(names = "--split", defaultValue = "test", description = "val or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--limit", defaultValue = "0", description = "Score only the first N samples (0: all; a command task ignores it).")
  int limit;

  @Option(names = "--batch-size", defaultValue = "128", description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if (limit < 0 || batchSize <= 0) {
      throw new InvalidInputException("--limit must be >= 0 and --batch-size > 0");
    }
    Split s = Split.parse(split);
    if (s == Split.TRAIN) {
      throw new InvalidInputException("--split: expected val or test (got " + split + ")");
    }
    Map<String, TaskSpec> declared = specFile == null ? Map.of() : TaskSpecs.load(specFile);
    if (specFile != null && !TaskCatalog.known(task, declared)) {
      throw new InvalidInputException("--task " + task + ": not declared in " + specFile + " (its tasks: " + declared.keySet() + ")");
    }
    ModelTask t;
    try {
      t = ModelTasks.resolve(declared, modelDir, task, EnumSet.of(s));
    } catch (InvalidInputException e) {
      throw specFile != null && e.getMessage().startsWith("tasks.") ? new InvalidInputException(specFile + ": " + e.getMessage(), e) : e;
    }
    EvaluationResult r;
    if (t instanceof CommandTask command) {
      try {
        r = io.automerge.eval.TaskEvaluation.command(command, modelDir.toAbsolutePath(), s);
      } catch (CommandTask.Failed e) {
        System.err.println("automerge: " + e.getMessage());
        return 1;
      }
    } else {
      try (NDManager manager = NDManager.newBaseManager()) {
        ArchitectureModel model = ModelCheckpoints.load(modelDir, manager);
        r = Evaluation.evaluate(model, (Task) t, s, limit, batchSize, manager);
      }
    }
    System.out.println(ModelCheckpoints.JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(PairTrainer.toJson(r, modelDir.toString())));
    return 0;
  }
}
