package io.automerge.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.eval.Evaluation;
import io.automerge.eval.EvaluationResult;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.train.PairTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code automerge evaluate MODEL_DIR --task T}: prints loss and metrics as one JSON object. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score a checkpoint on a task split; prints one JSON object.")
public final class EvaluateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "Checkpoint directory (config.json + safetensors).")
  Path modelDir;

  @Option(names = "--task", required = true, description = "e.g. fashion-mnist:tops, fashion-mnist:classes=0,1, fortunes:de.")
  String task;

  @Option(names = "--split", defaultValue = "test", description = "val or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--limit", defaultValue = "0", description = "Score only the first N examples (0: all).")
  int limit;

  @Option(names = "--batch-size", defaultValue = "128", description = "Examples per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if (limit < 0 || batchSize <= 0) {
      throw new InvalidInputException("--limit must be >= 0 and --batch-size > 0");
    }
    Split s = Split.parse(split);
    JsonNode config = ModelCheckpoints.readConfig(modelDir);
    // Text in the model's own tokens, in windows its positions cover.
    Task t = Tasks.forModel(task, modelDir, config);
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(modelDir, manager);
      EvaluationResult r = Evaluation.evaluate(model, t, s, limit, batchSize, manager);
      System.out.println(ModelCheckpoints.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(PairTrainer.toJson(r, modelDir.toString())));
    }
    return 0;
  }
}
