package io.automerge.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.data.FashionMnist;
import io.automerge.data.ImageProcessing;
import io.automerge.data.NextByteTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.data.tokenizer.BpeModel;
import io.automerge.data.tokenizer.BpeTokenizerJson;
import io.automerge.data.tokenizer.CorpusBpe;
import io.automerge.data.tokenizer.FortunesBpe;
import io.automerge.data.tokenizer.TextTokenizer;
import io.automerge.data.tokenizer.Tokenizers;
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
 * {@code training.json} each, and {@code pair.json} naming the models and their tasks. A pair
 * with a BPE first trains it ({@code out/<pair>/tokenizer.json}); every model of the pair then
 * carries it with {@code tokenizer_config.json} and {@code generation_config.json}, so that
 * transformers loads each directory as it is.
 */
public final class PairTrainer {
  /** Val examples scored per task for training.json (a quick check, not the report). */
  static final int REPORT_LIMIT = 1000;

  private PairTrainer() {}

  /** Trains the pair; {@code listeners} gives a step listener per model name. */
  public static Path train(PairSpec spec, Path out, Function<String, TrainingListener> listeners) {
    Path pairDir = out.resolve(spec.name());
    Map<String, JsonNode> files = new LinkedHashMap<>();
    TextTokenizer tokenizer = spec.bpeVocabSize() > 0 ? trainTokenizer(spec, pairDir, files) : null;
    try {
      return train(spec, pairDir, listeners, tokenizer, files);
    } finally {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  private static Path train(PairSpec spec, Path pairDir, Function<String, TrainingListener> listeners, TextTokenizer tokenizer,
      Map<String, JsonNode> files) {
    List<String> evalTaskNames = spec.models().stream().map(PairSpec.TaskModel::task).toList();
    int context = Math.min(NextByteTask.DEFAULT_CONTEXT, spec.config().path("max_position_embeddings").asInt(NextByteTask.DEFAULT_CONTEXT));
    Map<String, Task> tasks = new LinkedHashMap<>();
    for (String name : concat(spec.baseTasks(), evalTaskNames)) {
      tasks.computeIfAbsent(name, n -> Tasks.isImageTask(n) ? Tasks.parse(n) : Tasks.parse(n, context, tokenizer));
    }
    List<Task> evalTasks = evalTaskNames.stream().map(tasks::get).toList();
    Path baseDir = pairDir.resolve("base");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed((int) spec.basePlan().seed());
      ArchitectureModel base = Architectures.build(spec.config(), spec.name()).initialize(manager);
      List<Task> baseTasks = spec.baseTasks().stream().map(tasks::get).toList();
      ModelTrainer.Result result = ModelTrainer.train(base, baseTasks, spec.basePlan(), manager, listeners.apply("base"));
      save(base, baseDir, spec, "base", "random", spec.baseTasks(), spec.basePlan(), result, evalTasks, manager, files);
    }
    Map<String, Map<String, Double>> losses = new LinkedHashMap<>();
    for (PairSpec.TaskModel tm : spec.models()) {
      try (NDManager manager = NDManager.newBaseManager()) {
        Engine.getInstance().setRandomSeed((int) spec.finetunePlan().seed());
        ArchitectureModel model = ModelCheckpoints.load(baseDir, manager);
        ModelTrainer.Result result = ModelTrainer.train(model, List.of(tasks.get(tm.task())), spec.finetunePlan(), manager, listeners.apply(tm.name()));
        ObjectNode metrics =
            save(model, pairDir.resolve(tm.name()), spec, tm.name(), "base", List.of(tm.task()), spec.finetunePlan(), result, evalTasks, manager, files);
        Map<String, Double> own = new LinkedHashMap<>();
        metrics.fields().forEachRemaining(e -> own.put(e.getKey(), e.getValue().path("loss").asDouble()));
        losses.put(tm.name(), own);
      }
    }
    List<PairSpecialization.Entry> specialization = PairSpecialization.of(spec.models(), losses);
    System.out.println(PairSpecialization.describe(spec.name(), specialization));
    writePairJson(spec, pairDir, PairSpecialization.toJson(specialization));
    return pairDir;
  }

  /** Saves the model and returns its val metrics per task (as in training.json). */
  private static ObjectNode save(
      ArchitectureModel model,
      Path dir,
      PairSpec spec,
      String modelName,
      String init,
      List<String> data,
      TrainingPlan plan,
      ModelTrainer.Result result,
      List<Task> evalTasks,
      NDManager manager,
      Map<String, JsonNode> files) {
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
    Map<String, JsonNode> extra = new LinkedHashMap<>(files);
    extra.put("training.json", info);
    if (model.architecture().equals(CctConfig.ARCHITECTURE)) {
      // HF image-processor fields, so that a folder of Fashion-MNIST images scores as the built-in task.
      extra.put(ImageProcessing.FILE, FashionMnist.PREPROCESSING.toJson());
    }
    ModelCheckpoints.save(model, dir, extra);
    return metrics;
  }

  /**
   * Trains the pair's BPE on its BPE tasks' training documents, writes {@code pairDir/tokenizer.json},
   * and puts the files every model directory gets into {@code files}.
   */
  private static TextTokenizer trainTokenizer(PairSpec spec, Path pairDir, Map<String, JsonNode> files) {
    long start = System.nanoTime();
    BpeModel bpe = CorpusBpe.forTasks(spec.bpeTasks(), spec.bpeVocabSize());
    ObjectNode tokenizerJson = BpeTokenizerJson.of(bpe, FortunesBpe.END_OF_TEXT);
    Path file = pairDir.resolve(Tokenizers.FILE);
    try {
      java.nio.file.Files.createDirectories(pairDir);
      Path tmp = pairDir.resolve("." + Tokenizers.FILE + ".tmp");
      ModelCheckpoints.JSON.writeValue(tmp.toFile(), tokenizerJson);
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
    System.out.printf("%s: byte-level BPE of %d ids (%d merges) trained in %.1f s -> %s%n",
        spec.name(), bpe.vocabSize(), bpe.merges().size(), (System.nanoTime() - start) / 1e9, file);
    int maxLength = spec.config().path("max_position_embeddings").asInt();
    files.put(Tokenizers.FILE, tokenizerJson);
    files.put("tokenizer_config.json", BpeTokenizerJson.tokenizerConfig(bpe, FortunesBpe.END_OF_TEXT, maxLength));
    ObjectNode generation = JsonNodeFactory.instance.objectNode();
    generation.put("bos_token_id", bpe.specialTokenId(FortunesBpe.END_OF_TEXT));
    generation.put("eos_token_id", bpe.specialTokenId(FortunesBpe.END_OF_TEXT));
    generation.put("max_length", maxLength);
    files.put("generation_config.json", generation);
    TextTokenizer tokenizer = Tokenizers.load(file);
    Tokenizers.checkFits(tokenizer, spec.config().path("vocab_size").asInt(), "pair " + spec.name());
    return tokenizer;
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

  private static void writePairJson(PairSpec spec, Path pairDir, ObjectNode specialization) {
    ObjectNode pair = JsonNodeFactory.instance.objectNode();
    pair.put("pair", spec.name());
    pair.put("architecture", Architectures.detect(spec.config(), spec.name()));
    pair.put("base", "base");
    if (spec.bpeVocabSize() > 0) {
      pair.put("tokenizer", Tokenizers.FILE);
    }
    var models = pair.putArray("models");
    for (PairSpec.TaskModel tm : spec.models()) {
      models.addObject().put("name", tm.name()).put("task", tm.task());
    }
    pair.set("specialization", specialization);
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
