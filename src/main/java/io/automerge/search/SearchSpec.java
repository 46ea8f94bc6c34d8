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
import io.automerge.util.SpecErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    @JsonProperty("tasks") Map<String, TaskSpec> declaredTasks) {

  /**
   * The paper's cost, the mean of L(M)/L(S_t) (= 1 / harmonic mean of preservation), or the
   * worst task's ratio, which rewards a merge that keeps every task instead of trading one for another.
   */
  public static final List<String> OBJECTIVES = List.of("harmonic", "worst");

  @com.fasterxml.jackson.annotation.JsonCreator
  public SearchSpec {
    objective = objective == null ? "harmonic" : objective; // specs persisted before the field existed
    declaredTasks = declaredTasks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(declaredTasks));
  }

  /** A spec with the given objective and no declared tasks. */
  public SearchSpec(String id, String baseModel, List<SourceModel> models, String segmentation, List<String> techniques,
      List<Double> density, int trials, int initial, Validation validation, String workers, long seed, String output, String objective) {
    this(id, baseModel, models, segmentation, techniques, density, trials, initial, validation, workers, seed, output, objective, null);
  }

  /** A spec with the paper's objective. */
  public SearchSpec(String id, String baseModel, List<SourceModel> models, String segmentation, List<String> techniques,
      List<Double> density, int trials, int initial, Validation validation, String workers, long seed, String output) {
    this(id, baseModel, models, segmentation, techniques, density, trials, initial, validation, workers, seed, output, null, null);
  }

  public static final List<String> ALL_TECHNIQUES =
      List.of("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties");
  public static final Set<String> DENSITY_TECHNIQUES = Set.of("ties", "dare_linear", "dare_ties");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern SEGMENTATION = Pattern.compile("shape|whole|layers:[1-9][0-9]*");

  public record SourceModel(String path, String task) {}

  public record Validation(@JsonProperty("samples_per_task") int samplesPerTask) {}

  /** The name of each source model's task, in model order. */
  public List<String> tasks() {
    return models.stream().map(SourceModel::task).toList();
  }

  public double densityMin() {
    return density.get(0);
  }

  public double densityMax() {
    return density.get(1);
  }

  /** The optimizer's space for a given segmentation. */
  public SearchSpace space(List<String> blockNames) {
    return SearchSpace.builder()
        .blocks(blockNames)
        .models(models.size())
        .techniques(techniques)
        .densityTechniques(DENSITY_TECHNIQUES.stream().filter(techniques::contains).toList())
        .density(densityMin(), densityMax())
        .build();
  }

  /** Number of workers asked for; 0 means auto (one per GPU, else one CPU worker). */
  public int workerCount() {
    return "auto".equals(workers) ? 0 : Integer.parseInt(workers);
  }

  public static SearchSpec load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": search spec not found");
    }
    JsonNode node;
    try {
      node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": malformed YAML: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(file + ": a search spec must be a YAML mapping");
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
    return raw.withDefaults(file.toAbsolutePath().getParent()).validated(file);
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
        techniques == null ? ALL_TECHNIQUES : techniques,
        density == null ? List.of(0.5, 1.0) : density,
        trials == 0 ? 200 : trials,
        initial == 0 ? 20 : initial,
        validation == null ? new Validation(1000) : validation,
        workers == null ? "auto" : workers,
        seed,
        output == null ? null : resolve(dir, output),
        objective,
        declaredTasks == null ? null : resolvedTasks(dir));
  }

  private SearchSpec validated(Path file) {
    String where = file + ": ";
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException(where + "id: required, letters/digits/._- (got " + id + ")");
    }
    if (baseModel == null) {
      throw new InvalidInputException(where + "base_model: required");
    }
    if (models.size() < 2) {
      throw new InvalidInputException(where + "models: at least two source models are required");
    }
    for (int i = 0; i < models.size(); i++) {
      SourceModel m = models.get(i);
      if (m.path() == null || m.task() == null) {
        throw new InvalidInputException(where + "models[" + i + "]: needs both path and task");
      }
      if (!Files.exists(Path.of(m.path()))) {
        throw new InvalidInputException(where + "models[" + i + "].path: " + m.path() + " does not exist");
      }
    }
    if (!Files.exists(Path.of(baseModel))) {
      throw new InvalidInputException(where + "base_model: " + baseModel + " does not exist");
    }
    if (!SEGMENTATION.matcher(segmentation).matches()) {
      throw new InvalidInputException(where + "segmentation: expected shape, whole or layers:K (got " + segmentation + ")");
    }
    if (techniques.isEmpty() || !ALL_TECHNIQUES.containsAll(techniques)) {
      throw new InvalidInputException(where + "techniques: expected a non-empty subset of " + ALL_TECHNIQUES + " (got " + techniques + ")");
    }
    if (density.size() != 2 || !(density.get(0) > 0 && density.get(0) <= density.get(1) && density.get(1) <= 1)) {
      throw new InvalidInputException(where + "density: expected [min, max] with 0 < min <= max <= 1 (got " + density + ")");
    }
    if (trials < 1 || initial < 1) {
      throw new InvalidInputException(where + "trials and initial must be positive");
    }
    if (validation.samplesPerTask() < 1) {
      throw new InvalidInputException(where + "validation.samples_per_task must be positive");
    }
    if (!"auto".equals(workers) && !workers.matches("[1-9][0-9]*")) {
      throw new InvalidInputException(where + "workers: expected auto or a positive number (got " + workers + ")");
    }
    if (output == null) {
      throw new InvalidInputException(where + "output: required");
    }
    if (!OBJECTIVES.contains(objective)) {
      throw new InvalidInputException(where + "objective: expected one of " + OBJECTIVES + " (got " + objective + ")");
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
