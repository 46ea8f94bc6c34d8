package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.automerge.InvalidInputException;
import io.automerge.data.TaskCatalog;
import io.automerge.data.TaskSpec;
import io.automerge.eval.Objective;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.util.SpecErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a user asks `automerge search` for (the YAML spec). Paths are absolute once parsed, so
 * the spec persisted in {@code SearchStarted} means the same thing wherever it is replayed.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SearchSpec(
    String id,
    @JsonProperty("base_model") String baseModel,
    List<SourceModel> models,
    String segmentation,
    List<String> techniques,
    List<Double> density,
    int trials,
    int initial,
    Validation validation,
    String workers,
    long seed,
    String output,
    String objective,
    @JsonProperty("pd_penalty") Double pdPenalty,
    String weights,
    @JsonProperty("weight_range") List<Double> weightRange,
    List<Double> lambda,
    Integer rescore,
    Report report,
    @JsonProperty("tasks") Map<String, TaskSpec> declaredTasks,
    @JsonProperty("warm_start") Boolean warmStart,
    @JsonProperty("model_dtype") String modelDtype,
    @JsonProperty("cache_sources_on_device") String cacheSourcesOnDevice,
    @JsonProperty("batch_size") Integer batchSize,
    List<String> groups,
    String select,
    Fidelity fidelity) {

  /** What the optimizer minimizes; see {@link Objective}. {@code pareto}: every task's term, see {@link ParEgo}. */
  public static final List<String> OBJECTIVES = java.util.stream.Stream.concat(Objective.NAMES.stream(),
      java.util.stream.Stream.of(Objective.PARETO)).toList();
  /** {@code simplex}: N−1 free weights, summing to 1 (the paper's w, 1 − w); {@code free}: one weight per model in its own range. */
  public static final List<String> WEIGHT_MODES = List.of("simplex", "free");

  // Defaults of a spec a user writes now (measured, see docs/experiments); a spec persisted before
  // a field existed reads as what the search ran with then (the paper's settings).
  public static final String DEFAULT_OBJECTIVE = Objective.METRICS;
  public static final String DEFAULT_WEIGHTS = "free";
  public static final List<Double> DEFAULT_LAMBDA = null;
  public static final int DEFAULT_RESCORE = 5;
  public static final boolean DEFAULT_WARM_START = true;

  @com.fasterxml.jackson.annotation.JsonCreator
  public SearchSpec {
    objective = objective == null ? Objective.HARMONIC : objective;
    pdPenalty = pdPenalty == null ? 0.0 : pdPenalty;
    weights = weights == null ? "simplex" : weights;
    weightRange = weightRange == null ? List.of(0.0, 1.0) : List.copyOf(weightRange);
    lambda = lambda == null ? null : List.copyOf(lambda);
    rescore = rescore == null ? 0 : rescore;
    // YAML 1.1 reads a bare on/off as a boolean
    cacheSourcesOnDevice = "true".equals(cacheSourcesOnDevice) ? "on" : "false".equals(cacheSourcesOnDevice) ? "off" : cacheSourcesOnDevice;
    report = report == null ? new Report(true, null) : report;
    declaredTasks = declaredTasks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(declaredTasks));
    warmStart = warmStart != null && warmStart;
    groups = groups == null ? List.of() : List.copyOf(groups);
    select = select == null && Objective.PARETO.equals(objective) ? DEFAULT_OBJECTIVE : select;
  }

  /** Whether the search keeps a Pareto front over the per-task costs ({@code objective: pareto}). */
  public boolean pareto() {
    return Objective.PARETO.equals(objective);
  }

  /**
   * The single cost a trial is ranked by (best trial, re-scoring, the exported member): the
   * objective itself, or with {@code objective: pareto} the one named by {@code select}, whose
   * per-task terms are the front's objectives.
   */
  public String scalarObjective() {
    return pareto() ? select : objective;
  }

  /** What the export adds to the report: {@code baselines}, the fixed techniques scored on test (RQ1 settings). */
  public record Report(Boolean baselines, @JsonProperty("test_samples") Integer testSamples) {
    public Report {
      baselines = baselines == null || baselines;
    }

    public Report(Boolean baselines) {
      this(baselines, null);
    }
  }

  /** A spec with the paper's objective, weights and no re-scoring. */
  public SearchSpec(String id, String baseModel, List<SourceModel> models, String segmentation, List<String> techniques,
      List<Double> density, int trials, int initial, Validation validation, String workers, long seed, String output,
      String objective) {
    this(id, baseModel, models, segmentation, techniques, density, trials, initial, validation, workers, seed, output,
        objective, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** A spec with the paper's objective. */
  public SearchSpec(String id, String baseModel, List<SourceModel> models, String segmentation, List<String> techniques,
      List<Double> density, int trials, int initial, Validation validation, String workers, long seed, String output) {
    this(id, baseModel, models, segmentation, techniques, density, trials, initial, validation, workers, seed, output, (String) null);
  }

  /**
   * What a spec without {@code techniques:} searches: the paper's five and model_stock, the best
   * fixed technique on every pair measured (docs/experiments: with it the search starts from that
   * plan and improves on it; without it, it does not reach it in 60 trials).
   */
  public static final List<String> DEFAULT_TECHNIQUES = java.util.stream.Stream.concat(
      MergeMethods.paperNames().stream(), java.util.stream.Stream.of("model_stock")).toList();
  /** Every registered technique a search with {@code models} source models can use, in registry order. */
  public static List<String> techniquesFor(int models) {
    return MergeMethods.all().stream().filter(m -> m.searchableWith(models)).map(MergeMethod::name).toList();
  }

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  static final Pattern SEGMENTATION = Pattern.compile("shape|whole|layers:[1-9][0-9]*");

  public record SourceModel(String path, String task) {}

  public record Validation(@JsonProperty("samples_per_task") int samplesPerTask) {}

  public List<String> tasks() {
    return models.stream().map(SourceModel::task).toList();
  }

  public double densityMin() {
    return density.get(0);
  }

  public double densityMax() {
    return density.get(1);
  }

  /**
   * The optimizer's space for a given segmentation: the techniques' declared parameters, with this
   * spec's {@code density} range and, if given, its {@code lambda} range in place of the declared ones.
   */
  public SearchSpace space(List<String> blockNames) {
    SearchSpaceBuilder builder = SearchSpace.builder()
        .blocks(blockNames)
        .models(models.size())
        .techniques(techniques)
        .density(densityMin(), densityMax());
    if ("free".equals(weights)) {
      builder.freeWeights(weightRange.get(0), weightRange.get(1));
    }
    if (lambda != null) {
      builder.lambda(lambda.get(0), lambda.get(1));
    }
    return builder.build();
  }

  /**
   * This spec with some fields replaced, named as in YAML ({@code {"objective": "worst", "id": ...}}),
   * and checked again as a loaded spec is.
   */
  public SearchSpec with(java.util.Map<String, Object> fields) {
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.valueToTree(this);
    fields.forEach((name, value) -> tree.set(name, mapper.valueToTree(value)));
    try {
      SearchSpec changed = mapper.treeToValue(tree, SearchSpec.class);
      SpecFieldChecks.check(changed, "spec " + id + ": ");
      return changed;
    } catch (IOException e) {
      throw new InvalidInputException("spec " + id + ": " + firstLine(e.getMessage()));
    }
  }

  /** Number of workers asked for; 0 means auto (one per GPU, else one CPU worker). */
  public int workerCount() {
    return "auto".equals(workers) ? 0 : Integer.parseInt(workers);
  }

  public static SearchSpec load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": search spec not found");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": unreadable: " + firstLine(e.getMessage()));
    }
    return parse(text, file, file.toAbsolutePath().getParent());
  }

  /**
   * A spec from YAML (or JSON) text that is not a file of its own (an HTTP request body):
   * {@code name} stands for the file in error messages, relative paths resolve against {@code dir}.
   */
  public static SearchSpec parse(String text, Path name, Path dir) {
    Path file = name;
    JsonNode node;
    try {
      node = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": malformed YAML: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(file + ": a search spec must be a YAML mapping");
    }
    // A spec written now gets today's defaults here; the constructor's fallbacks are for specs
    // persisted before a field existed, which must replay as the search they started.
    com.fasterxml.jackson.databind.node.ObjectNode fields = (com.fasterxml.jackson.databind.node.ObjectNode) node;
    if (!fields.has("objective")) {
      fields.put("objective", DEFAULT_OBJECTIVE);
    }
    if (!fields.has("weights")) {
      fields.put("weights", DEFAULT_WEIGHTS);
    }
    if (!fields.has("rescore")) {
      fields.put("rescore", DEFAULT_RESCORE);
    }
    if (!fields.has("warm_start")) {
      fields.put("warm_start", DEFAULT_WARM_START);
    }
    if (!fields.has("lambda") && DEFAULT_LAMBDA != null) {
      fields.set("lambda", new ObjectMapper().valueToTree(DEFAULT_LAMBDA));
    }
    for (String count : List.of("trials", "initial")) {
      if (node.has(count) && !(node.get(count).isIntegralNumber() && node.get(count).asInt() >= 1)) {
        throw new InvalidInputException(file + ": " + count + ": must be a positive integer (got " + node.get(count) + ")");
      }
    }
    SearchSpec raw;
    try {
      raw = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .treeToValue(node, SearchSpec.class);
    } catch (JsonMappingException e) {
      throw new InvalidInputException(SpecErrors.describe(file, e));
    } catch (IOException e) {
      throw new InvalidInputException(file + ": " + firstLine(e.getMessage()));
    }
    return raw.withDefaults(dir).validated(file);
  }

  private SearchSpec withDefaults(Path dir) {
    List<SourceModel> resolved = new ArrayList<>();
    for (SourceModel m : models == null ? List.<SourceModel>of() : models) {
      resolved.add(new SourceModel(m.path() == null ? null : resolve(dir, m.path()), m.task()));
    }
    return new SearchSpec(
        id,
        baseModel == null ? null : resolve(dir, baseModel),
        resolved,
        segmentation == null ? "shape" : segmentation,
        techniques == null ? DEFAULT_TECHNIQUES : techniques,
        density == null ? List.of(0.5, 1.0) : density,
        trials == 0 ? 200 : trials,
        initial == 0 ? 20 : initial,
        validation == null ? new Validation(1000) : validation,
        workers == null ? "auto" : workers,
        seed,
        output == null ? null : resolve(dir, output),
        objective,
        pdPenalty,
        weights,
        weightRange,
        lambda,
        rescore,
        report,
        declaredTasks == null ? null : resolvedTasks(dir),
        warmStart,
        modelDtype,
        cacheSourcesOnDevice,
        batchSize,
        groups,
        select,
        fidelity);
  }

  private SearchSpec validated(Path file) {
    String where = file + ": ";
    SpecFieldChecks.check(this, where);
    for (int i = 0; i < models.size(); i++) {
      if (!Files.exists(Path.of(models.get(i).path()))) {
        throw new InvalidInputException(where + "models[" + i + "].path: " + models.get(i).path() + " does not exist");
      }
    }
    if (!Files.exists(Path.of(baseModel))) {
      throw new InvalidInputException(where + "base_model: " + baseModel + " does not exist");
    }
    TaskCatalog.checkSearch(declaredTasks, tasks(), where);
    return this;
  }


  private Map<String, TaskSpec> resolvedTasks(Path dir) {
    Map<String, TaskSpec> out = new LinkedHashMap<>();
    declaredTasks.forEach((name, task) -> out.put(name, task == null ? null : task.resolved(dir)));
    return out;
  }

  private static String resolve(Path dir, String path) {
    return dir.resolve(path).normalize().toAbsolutePath().toString();
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
  }
}
