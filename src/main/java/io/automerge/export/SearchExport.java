package io.automerge.export;

import io.automerge.util.FileTrees;
import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.eval.FittingBatch;
import io.automerge.eval.EvaluationResult;
import io.automerge.eval.ModelTasks;
import io.automerge.eval.Objective;
import io.automerge.eval.Preservation;
import io.automerge.eval.TaskEvaluation;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeRecipe;
import io.automerge.merge.RecipeWriter;
import io.automerge.model.ArchitectureModel;
import io.automerge.search.BlockChoice;
import io.automerge.search.FixedChoices;
import io.automerge.search.SearchSpec;
import io.automerge.tensor.Checkpoint;
import io.automerge.trial.CacheSources;
import io.automerge.trial.ScratchCheckpoint;
import io.automerge.trial.StreamedWeights;
import io.automerge.trial.TrialBackend;
import io.automerge.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Writes a finished search's result into {@code spec.output()}:
 * <pre>
 *   recipe.yaml   the best plan as a merge recipe (automerge merge recipe.yaml DIR gives model/ again, bit for bit)
 *   model/        the merged checkpoint: config.json, safetensors, automerge-recipe.yaml
 *   report.json   best plan, validation losses, test metrics, PR/PD, the five fixed techniques, trials
 *   report.md     the same for people
 *   pareto.png    with objective: pareto, the front members' test PR per task
 * </pre>
 * Everything is written under {@code .NAME.tmp-PID} beside the output and renamed at the end.
 */
public final class SearchExport {

  private final SearchOutcome outcome;
  private final SearchSpec spec;
  /** Null: chosen to fit ({@link FittingBatch}) once the model is resident. */
  private final Integer fixedBatchSize;
  private int batchSize;
  private final int testLimit;

  /** @param batchSize examples per forward pass, or null to choose them to fit ({@link FittingBatch}) */
  public SearchExport(SearchOutcome outcome, Integer batchSize, int testLimit) {
    this.outcome = outcome;
    this.spec = outcome.spec();
    this.fixedBatchSize = batchSize;
    this.testLimit = testLimit;
  }

  public TrialBackend.ExportResult run() {
    long start = System.nanoTime();
    Path output = Path.of(spec.output()).toAbsolutePath().normalize();
    checkReplaceable(output);
    Path tmp = output.resolveSibling("." + output.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
      Path base = Path.of(spec.baseModel());
      List<String> baseTensors;
      try (Checkpoint ckpt = Checkpoint.open(base)) {
        baseTensors = ckpt.names();
      }
      MergeRecipe recipe = PlanRecipe.of(spec, outcome.segmentation(), outcome.bestPlan(), baseTensors);
      Files.writeString(tmp.resolve("recipe.yaml"), RecipeWriter.toYaml(recipe), StandardCharsets.UTF_8);
      MergeEngine.builder(recipe).build().run(tmp.resolve("model"), false);
      String sha256 = sha256(tmp.resolve("model"));

      Map<String, Object> report = report(recipe, tmp.resolve("model"), sha256, baseTensors);
      report.put("export_millis", (System.nanoTime() - start) / 1_000_000);
      Files.writeString(tmp.resolve("report.json"), Json.pretty(report) + "\n", StandardCharsets.UTF_8);
      if (report.containsKey("pareto_front")) {
        ParetoChart.write(report, tmp);
      }
      Files.writeString(tmp.resolve("report.md"), ReportMarkdown.render(report), StandardCharsets.UTF_8);
      List<String> files = relativeFiles(tmp);

      FileTrees.delete(output);
      Files.createDirectories(output.getParent());
      Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
      return new TrialBackend.ExportResult(output.toString(), sha256, report, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + output, e);
    } finally {
      try {
        FileTrees.delete(tmp);
      } catch (IOException ignored) {
        // best effort: the temporary name never shadows the output
      }
    }
  }

  /**
   * Scores the sources, the merge and the fixed techniques with one resident model: each is
   * written into it in turn from the mapped checkpoints (the merge as {@code recipe}, giving the
   * bytes of {@code mergedDir}), so the export holds one model, as a worker does.
   */
  private Map<String, Object> report(MergeRecipe recipe, Path mergedDir, String sha256, List<String> baseTensors) {
    List<ModelTask> tasks = ModelTasks.ofSearch(spec);
    int n = spec.models().size();

    Map<String, Map<String, EvaluationResult>> sourceTest = new LinkedHashMap<>();
    Map<String, Double> sourceVal = new LinkedHashMap<>();
    Map<String, EvaluationResult> mergedTest;
    List<Object> fixed;
    Map<String, Object> base = null;
    List<Object> front = null;
    try (NDManager manager = NDManager.newBaseManager();
        StreamedWeights weights = StreamedWeights.open(Path.of(spec.baseModel()), sourcePaths(spec), spec.seed(),
            spec.modelDtype(), spec.cacheSourcesOnDevice(), CacheSources::hostAvailableBytes, manager)) {
      ArchitectureModel model = weights.resident().model();
      batchSize = fixedBatchSize != null ? fixedBatchSize : FittingBatch.fitting(model, tasks, CacheSources.hostAvailableBytes(), manager);
      for (int i = 0; i < n; i++) {
        Path dir = Path.of(spec.models().get(i).path());
        weights.loadSource(i);
        sourceTest.put(tasks.get(i).name(), evaluateAll(model, () -> dir, tasks, manager));
        sourceVal.put(tasks.get(i).name(), TaskEvaluation.evaluate(tasks.get(i), model, () -> dir, Split.VAL,
            spec.validation().samplesPerTask(), batchSize, manager).loss());
      }
      if (spec.report().baselines()) {
        // the base model unmerged: a merge that does not beat it has not earned its keep
        Path baseDir = Path.of(spec.baseModel());
        weights.loadBase();
        base = baselineEntry(evaluateAll(model, () -> baseDir, tasks, manager), sourceTest, tasks);
      }
      apply(weights, recipe, manager);
      mergedTest = evaluateAll(model, () -> mergedDir, tasks, manager);
      if (spec.pareto()) {
        front = paretoFront(weights, tasks, sourceTest, mergedTest, baseTensors, manager);
      }
      fixed = spec.report().baselines() ? fixedTechniques(weights, tasks, sourceTest, manager) : List.of();
    }

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("search", spec.id());
    report.put("objective", spec.objective());
    report.put("options", ReportJson.options(spec));
    report.put("base_model", spec.baseModel());
    report.put("models", spec.models().stream().map(m -> Map.of("path", m.path(), "task", m.task())).toList());
    report.put("segmentation", ReportJson.segmentationJson(outcome.segmentation()));
    Map<String, Object> best = new LinkedHashMap<>();
    best.put("trial", outcome.bestTrial());
    best.put("cost", outcome.bestCost());
    best.put("plan", ReportJson.planJson(outcome.bestPlan().blocks()));
    report.put("best", best);
    report.put("rescoring", ReportJson.rescoringJson(outcome));
    Map<String, Object> validation = new LinkedHashMap<>();
    validation.put("samples_per_task", spec.validation().samplesPerTask());
    validation.put("merged_loss", outcome.bestLosses());
    validation.put("source_loss", sourceVal);
    Map<String, Double> ap = new LinkedHashMap<>();
    sourceVal.forEach((task, loss) -> ap.put(task, outcome.bestLosses().containsKey(task)
        ? Objective.preservation(outcome.bestLosses().get(task), loss) : Double.NaN));
    validation.put("approximate_preservation", ap);
    report.put("validation", validation);

    Map<String, Object> test = new LinkedHashMap<>();
    test.put("samples_limit", testLimit);
    test.put("sources", ReportJson.nested(sourceTest));
    test.put("merged", ReportJson.flat(mergedTest));
    report.put("test", test);
    Map<String, Double> rates = rates(mergedTest, sourceTest, tasks);
    report.put("preservation_rate", rates);
    report.put("preservation_discrepancy", Preservation.discrepancy(rates.values()));
    report.put("fixed", fixed);
    if (base != null) {
      report.put("base", base);
    }
    if (front != null) {
      Map<String, Object> pareto = new LinkedHashMap<>();
      pareto.put("select", spec.select());
      pareto.put("objectives", "each task's term of the " + spec.select() + " cost on the validation samples");
      pareto.put("front_size", outcome.paretoFront().size());
      pareto.put("scored", front.size());
      pareto.put("exported_trial", outcome.bestTrial());
      pareto.put("plot", ParetoChart.FILE);
      report.put("pareto", pareto);
      report.put("pareto_front", front);
    }

    List<SearchOutcome.TrialRecord> trials = outcome.trials();
    Map<String, Object> trialJson = new LinkedHashMap<>();
    trialJson.put("total", trials.size());
    trialJson.put("completed", trials.stream().filter(t -> t.cost() != null).count());
    trialJson.put("failed", trials.stream().filter(t -> t.cost() == null).count());
    trialJson.put("evaluated_samples", outcome.evaluatedSamples());
    trialJson.put("failures", trials.stream().filter(t -> t.cost() == null)
        .map(t -> Map.of("trial", t.id(), "error", String.valueOf(t.error()))).toList());
    trialJson.put("list", trials.stream().map(ReportJson::trialJson).toList());
    report.put("trials", trialJson);
    report.put("wall_millis", outcome.wallMillis());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("dir", "model");
    model.put("sha256", sha256);
    report.put("model", model);
    return report;
  }

  /**
   * Up to {@link ParetoMembers#LIMIT} members of the validation front scored on test, as the
   * merged model is (the exported member is the merged model: its scores are reused).
   */
  private List<Object> paretoFront(StreamedWeights weights, List<ModelTask> tasks, Map<String, Map<String, EvaluationResult>> sourceTest,
      Map<String, EvaluationResult> mergedTest, List<String> baseTensors, NDManager manager) {
    List<Object> out = new ArrayList<>();
    ArchitectureModel model = weights.resident().model();
    List<SearchOutcome.FrontMember> members = ParetoMembers.toScore(outcome.paretoFront(), outcome.bestTrial(), spec.tasks(),
        ParetoMembers.LIMIT);
    for (SearchOutcome.FrontMember member : members) {
      boolean exported = member.trial() == outcome.bestTrial();
      Map<String, EvaluationResult> results;
      if (exported) {
        results = mergedTest;
      } else {
        apply(weights, PlanRecipe.of(spec, outcome.segmentation(), member.plan(), baseTensors), manager);
        try (ScratchCheckpoint.Lazy scratch = ScratchCheckpoint.lazy(model, Path.of(spec.baseModel()))) {
          results = evaluateAll(model, scratch, tasks, manager);
        }
      }
      Map<String, Double> rates = rates(results, sourceTest, tasks);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("trial", member.trial());
      entry.put("exported", exported);
      entry.put("plan", ReportJson.planJson(member.plan().blocks()));
      entry.put("preservation_rate", rates);
      entry.put("preservation_discrepancy", Preservation.discrepancy(rates.values()));
      entry.put("mean_preservation_rate", rates.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
      entry.put("search_cost", member.cost());
      entry.put("validation_task_costs", member.taskCosts());
      entry.put("test", ReportJson.flat(results));
      out.add(entry);
    }
    return out;
  }

  /**
   * Every technique usable with the spec's models, on the whole model at its fixed choice: weight 1/N
   * (0.5 for a pair), density 0.65 (paper, RQ1), each other searched parameter at its declared start.
   */
  private List<Object> fixedTechniques(StreamedWeights weights, List<ModelTask> tasks,
      Map<String, Map<String, EvaluationResult>> sourceTest, NDManager manager) {
    List<Object> out = new ArrayList<>();
    ArchitectureModel model = weights.resident().model();
    for (BlockChoice choice : FixedChoices.all(spec.models().size())) {
      apply(weights, PlanRecipe.wholeModel(spec, choice), manager);
      Map<String, EvaluationResult> results;
      try (ScratchCheckpoint.Lazy scratch = ScratchCheckpoint.lazy(model, Path.of(spec.baseModel()))) {
        results = evaluateAll(model, scratch, tasks, manager);
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("technique", choice.technique());
      entry.put("weights", choice.effectiveWeights());
      entry.put("parameters", choice.parameters());
      entry.putAll(baselineEntry(results, sourceTest, tasks));
      out.add(entry);
    }
    return out;
  }

  /** A baseline's test scores, PR per task and PD. */
  private static Map<String, Object> baselineEntry(Map<String, EvaluationResult> results,
      Map<String, Map<String, EvaluationResult>> sourceTest, List<ModelTask> tasks) {
    Map<String, Double> rates = rates(results, sourceTest, tasks);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("test", ReportJson.flat(results));
    entry.put("preservation_rate", rates);
    entry.put("preservation_discrepancy", Preservation.discrepancy(rates.values()));
    return entry;
  }

  private static void apply(StreamedWeights weights, MergeRecipe recipe, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      weights.apply(recipe, scope);
    }
  }

  private static List<Path> sourcePaths(SearchSpec spec) {
    return spec.models().stream().map(m -> Path.of(m.path())).toList();
  }

  private Map<String, EvaluationResult> evaluateAll(ArchitectureModel model, Supplier<Path> checkpoint, List<ModelTask> tasks,
      NDManager manager) {
    Map<String, EvaluationResult> out = new LinkedHashMap<>();
    for (ModelTask task : tasks) {
      out.put(task.name(), TaskEvaluation.evaluate(task, model, checkpoint, Split.TEST, testLimit, batchSize, manager));
    }
    return out;
  }

  /** PR_t: the merged model against S_t, both on test_t, with the task's lower-is-better metrics inverted. */
  public static Map<String, Double> rates(Map<String, EvaluationResult> merged, Map<String, Map<String, EvaluationResult>> sources,
      List<ModelTask> tasks) {
    Map<String, Double> rates = new LinkedHashMap<>();
    for (ModelTask task : tasks) {
      rates.put(task.name(), Preservation.rate(merged.get(task.name()).metrics(),
          sources.get(task.name()).get(task.name()).metrics(), task.lowerIsBetter()));
    }
    return rates;
  }

  /** One SHA-256 over the model's safetensors files, in file-name order. */
  public static String sha256(Path modelDir) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(modelDir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
    }
    byte[] buffer = new byte[1 << 20];
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
          digest.update(buffer, 0, r);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A previous export of this search may be replaced; anything else at the output path may not. */
  private static void checkReplaceable(Path output) {
    if (!Files.exists(output)) {
      return;
    }
    try (Stream<Path> entries = Files.list(output)) {
      if (entries.findAny().isPresent() && !Files.isRegularFile(output.resolve("report.json"))) {
        throw new InvalidInputException("output: " + output + " exists and is not a previous AutoMerge export; choose another output");
      }
    } catch (IOException e) {
      throw new InvalidInputException("output: " + output + " is not a readable directory");
    }
  }

  private static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

}
