package io.automerge.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.data.FashionMnist;
import io.automerge.data.ImageProcessing;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.eval.Evaluation;
import io.automerge.eval.EvaluationResult;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.cct.CctConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains a {@link PairSpec} into {@code out/<pair>/{base,<model>...}}: HF checkpoints plus a
 * {@code training.json} each, and {@code pair.json} naming the models and their tasks.
 */
public final class PairTrainer {
  /** Val examples scored per task for training.json (a quick check, not the report). */
  static final int REPORT_LIMIT = 1000;

  private PairTrainer() {}

  /** Trains the pair; {@code listeners} gives a step listener per model name. */
  public static Path train(PairSpec spec, Path out, Function<String, TrainingListener> listeners) {
    Path pairDir = out.resolve(spec.name());
    List<String> evalTaskNames = spec.models().stream().map(PairSpec.TaskModel::task).toList();
    Map<String, Task> tasks = new LinkedHashMap<>();
    for (String name : concat(spec.baseTasks(), evalTaskNames)) {
      tasks.computeIfAbsent(name, Tasks::parse);
    }
    List<Task> evalTasks = evalTaskNames.stream().map(tasks::get).toList();
    Path baseDir = pairDir.resolve("base");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed((int) spec.basePlan().seed());
      ArchitectureModel base = Architectures.build(spec.config(), spec.name()).initialize(manager);
      List<Task> baseTasks = spec.baseTasks().stream().map(tasks::get).toList();
      ModelTrainer.Result result = ModelTrainer.train(base, baseTasks, spec.basePlan(), manager, listeners.apply("base"));
      save(base, baseDir, spec, "base", "random", spec.baseTasks(), spec.basePlan(), result, evalTasks, manager);
    }
    for (PairSpec.TaskModel tm : spec.models()) {
      try (NDManager manager = NDManager.newBaseManager()) {
        Engine.getInstance().setRandomSeed((int) spec.finetunePlan().seed());
        ArchitectureModel model = ModelCheckpoints.load(baseDir, manager);
        ModelTrainer.Result result = ModelTrainer.train(model, List.of(tasks.get(tm.task())), spec.finetunePlan(), manager, listeners.apply(tm.name()));
        save(model, pairDir.resolve(tm.name()), spec, tm.name(), "base", List.of(tm.task()), spec.finetunePlan(), result, evalTasks, manager);
      }
    }
    writePairJson(spec, pairDir);
    return pairDir;
  }

  private static void save(
      ArchitectureModel model,
      Path dir,
      PairSpec spec,
      String modelName,
      String init,
      List<String> data,
      TrainingPlan plan,
      ModelTrainer.Result result,
      List<Task> evalTasks,
      NDManager manager) {
    ObjectNode info = JsonNodeFactory.instance.objectNode();
    info.put("pair", spec.name());
    info.put("model", modelName);
    info.put("architecture", model.architecture());
    info.put("parameters", model.parameterCount());
    info.put("init", init);
    data.forEach(info.putArray("data")::add);
    info.put("steps", plan.steps());
    info.put("batch_size", plan.batchSize());
    info.put("learning_rate", plan.learningRate());
    info.put("final_learning_rate", plan.finalLearningRate());
    info.put("warmup_steps", plan.warmupSteps());
    info.put("seed", plan.seed());
    info.put("samples", result.samples());
    info.put("seconds", Math.round(result.seconds() * 10) / 10.0);
    info.put("first_loss", result.firstLoss());
    info.put("last_loss", result.lastLoss());
    info.put("skipped_steps", result.skippedSteps());
    ObjectNode metrics = info.putObject("metrics");
    for (Task task : evalTasks) {
      EvaluationResult r = Evaluation.evaluate(model, task, Split.VAL, REPORT_LIMIT, 128, manager);
      metrics.set(task.name(), toJson(r, null));
    }
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    extra.put("training.json", info);
    if (model.architecture().equals(CctConfig.ARCHITECTURE)) {
      // HF image-processor fields, so that a folder of Fashion-MNIST images scores as the built-in task.
      extra.put(ImageProcessing.FILE, FashionMnist.PREPROCESSING.toJson());
    }
    ModelCheckpoints.save(model, dir, extra);
  }

  /** The JSON shape {@code automerge evaluate} prints. */
  public static ObjectNode toJson(EvaluationResult r, String model) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (model != null) {
      o.put("model", model);
    }
    o.put("task", r.task());
    o.put("split", r.split());
    o.put("samples", r.samples());
    o.put("loss", r.loss());
    ObjectNode m = o.putObject("metrics");
    r.metrics().forEach(m::put);
    return o;
  }

  private static void writePairJson(PairSpec spec, Path pairDir) {
    ObjectNode pair = JsonNodeFactory.instance.objectNode();
    pair.put("pair", spec.name());
    pair.put("architecture", Architectures.detect(spec.config(), spec.name()));
    pair.put("base", "base");
    var models = pair.putArray("models");
    for (PairSpec.TaskModel tm : spec.models()) {
      models.addObject().put("name", tm.name()).put("task", tm.task());
    }
    try {
      ModelCheckpoints.JSON.writeValue(pairDir.resolve("pair.json").toFile(), (JsonNode) pair);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + pairDir.resolve("pair.json"), e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
