package io.automerge.trial;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.data.CommandTask;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.eval.FittingBatch;
import io.automerge.eval.ModelTasks;
import io.automerge.eval.TaskScore;
import io.automerge.eval.ValidationSet;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search resident on one device: one model in its resident dtype and fixed val batches of every
 * task, in one manager; base and sources stay memory-mapped ({@link StreamedWeights}). Each
 * trial's temporaries live in a sub-manager that closes with the trial (one per tensor inside it),
 * so hundreds of trials leave native memory where it was. Command tasks score a scratch
 * checkpoint of the merge instead.
 */
public final class ResidentSession implements TrialBackend.Session {
  private final NDManager root;
  private final StreamedWeights weights;
  private final SearchSpec spec;
  private final Segmentation segmentation;
  private final List<ValidationSet> validation;
  private final int batchSize;
  private final List<ModelTask> tasks;
  private final List<String> taskOrder;
  private final List<CommandTask> commands;
  private final List<Path> sources;
  private final Path base;
  private final Map<String, TaskScore> sourceScores;
  private Map<String, TaskScore> fullSourceScores;
  private final Map<Integer, Map<String, TaskScore>> rungSourceScores = new java.util.HashMap<>();
  private StreamedWeights.Applied lastApplied;

  private ResidentSession(NDManager root, StreamedWeights weights, SearchSpec spec, Segmentation segmentation,
      List<ValidationSet> validation, int batchSize, List<ModelTask> tasks, List<Path> sources, Path base) {
    this.root = root;
    this.spec = spec;
    this.weights = weights;
    this.segmentation = segmentation;
    this.validation = validation;
    this.batchSize = batchSize;
    this.tasks = tasks;
    this.taskOrder = tasks.stream().map(ModelTask::name).toList();
    this.commands = tasks.stream().filter(t -> t instanceof CommandTask).map(t -> (CommandTask) t).toList();
    this.sources = sources;
    this.base = base;
    this.sourceScores = Collections.unmodifiableMap(measureSources(tasks, false, Integer.MAX_VALUE));
  }

  /** @param batchSize examples per forward pass, or null to choose them to fit the device ({@link FittingBatch}) */
  public static ResidentSession open(SearchSpec spec, Segmentation segmentation, Device device, Integer batchSize) {
    NDManager root = NDManager.newBaseManager(device);
    StreamedWeights weights = null;
    try {
      Path base = Path.of(spec.baseModel());
      List<Path> sources = spec.models().stream().map(m -> Path.of(m.path())).toList();
      weights = StreamedWeights.open(base, sources, spec.seed(), spec.modelDtype(), spec.cacheSourcesOnDevice(),
          () -> CacheSources.freeBytes(device), root);
      List<ModelTask> tasks = ModelTasks.ofSearch(spec);
      int batch = batchSize != null ? batchSize
          : FittingBatch.fitting(weights.resident().model(), tasks, CacheSources.freeBytes(device), root);
      List<ValidationSet> validation = new ArrayList<>();
      for (Task task : ModelTasks.tensorTasks(tasks)) {
        validation.add(new ValidationSet(task, spec.validation().samplesPerTask(), batch, root));
      }
      return new ResidentSession(root, weights, spec, segmentation, validation, batch, tasks, sources, base);
    } catch (RuntimeException e) {
      if (weights != null) {
        weights.close();
      }
      root.close();
      throw e;
    }
  }

  /**
   * Source i on task i: tensor tasks with the source loaded in place, commands on the source's own
   * directory (a command ignores the sample: it always scores its split). Leaves the base loaded.
   */
  private Map<String, TaskScore> measureSources(List<ModelTask> tasks, boolean full, int limit) {
    Map<String, TaskScore> scores = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      ModelTask task = tasks.get(i);
      if (task instanceof CommandTask command) {
        scores.put(task.name(), commandScore(command, sources.get(i)));
        continue;
      }
      ValidationSet set = validation.stream().filter(v -> v.task().name().equals(task.name())).findFirst().orElseThrow();
      weights.loadSource(i);
      try (NDManager scope = root.newSubManager()) {
        scores.put(task.name(), full ? score(set, true, scope) : set.score(model(), scope, limit));
      }
    }
    weights.loadBase();
    return ordered(scores);
  }

  private TaskScore score(ValidationSet set, boolean full, NDManager scope) {
    return full ? ValidationSet.scoreAll(model(), set.task(), batchSize, scope) : set.score(model(), scope);
  }

  private static TaskScore commandScore(CommandTask command, Path modelDir) {
    CommandTask.Result result = command.run(modelDir, Split.VAL);
    return new TaskScore(result.loss(), result.metrics(), Double.NaN, command.lowerIsBetter());
  }

  /** In the models' order, whatever order the tasks were measured in. */
  private Map<String, TaskScore> ordered(Map<String, TaskScore> scores) {
    Map<String, TaskScore> out = new LinkedHashMap<>();
    taskOrder.forEach(t -> out.put(t, scores.get(t)));
    return out;
  }

  /**
   * The whole-split source scores are measured on first use and kept; measuring loads the
   * sources into the resident model, so call it before {@link #apply}, never between apply and scores.
   */
  @Override
  public Map<String, TaskScore> sourceScores(boolean fullValidation) {
    if (!fullValidation) {
      return sourceScores;
    }
    if (fullSourceScores == null) {
      fullSourceScores = Collections.unmodifiableMap(measureSources(tasks, true, Integer.MAX_VALUE));
    }
    return fullSourceScores;
  }

  /** Like the whole-split scores: measured on first use of each rung and kept; call before {@link #apply}. */
  @Override
  public Map<String, TaskScore> sourceScores(int samples) {
    return rungSourceScores.computeIfAbsent(samples, n -> Collections.unmodifiableMap(measureSources(tasks, false, n)));
  }

  @Override
  public Map<String, TaskScore> scores(int samples) {
    Map<String, TaskScore> scores = new LinkedHashMap<>();
    try (NDManager scope = root.newSubManager()) {
      for (ValidationSet set : validation) {
        scores.put(set.task().name(), set.score(model(), scope, samples));
      }
    }
    commandScores(scores);
    return ordered(scores);
  }

  @Override
  public long samplesScored(boolean fullValidation, Integer samples) {
    long sum = 0;
    for (ValidationSet set : validation) {
      sum += fullValidation ? set.task().size(Split.VAL) : samples == null ? set.size() : Math.min(samples, set.size());
    }
    return sum;
  }

  /** The resident model (what the next scores measure). */
  public io.automerge.model.ArchitectureModel model() {
    return weights.resident().model();
  }

  @Override
  public void apply(TrialPlan plan) {
    lastApplied = apply(io.automerge.export.PlanRecipe.of(spec, segmentation, plan, weights.checkpointTensors()));
  }

  /** Writes a recipe's merge (a trial's, or a fixed technique's) into the resident model. */
  StreamedWeights.Applied apply(io.automerge.merge.MergeRecipe recipe) {
    try (NDManager trial = root.newSubManager()) {
      return weights.apply(recipe, trial);
    }
  }

  /** Examples per forward pass: the spec's {@code batch_size}, or chosen to fit ({@link FittingBatch}). */
  public int batchSize() {
    return batchSize;
  }

  /** What the last {@link #apply(TrialPlan)} wrote and kept. */
  public StreamedWeights.Applied lastApplied() {
    return lastApplied;
  }

  /** Whether float32 copies of base and sources sit on the device besides the model. */
  public boolean cachesSources() {
    return weights.cachesSources();
  }

  @Override
  public Map<String, TaskScore> scores(boolean fullValidation) {
    Map<String, TaskScore> scores = new LinkedHashMap<>();
    try (NDManager scope = root.newSubManager()) {
      for (ValidationSet set : validation) {
        scores.put(set.task().name(), score(set, fullValidation, scope));
      }
    }
    commandScores(scores);
    return ordered(scores);
  }

  private void commandScores(Map<String, TaskScore> scores) {
    if (!commands.isEmpty()) {
      // External evaluators read a checkpoint: the merge, written for this trial only.
      try (ScratchCheckpoint scratch = ScratchCheckpoint.write(model(), base)) {
        for (CommandTask command : commands) {
          scores.put(command.name(), commandScore(command, scratch.dir()));
        }
      }
    }
  }

  /** Arrays the session's manager holds now; stays constant from trial to trial. */
  public int residentArrays() {
    return root.getManagedArrays().size();
  }

  @Override
  public void close() {
    weights.close();
    root.close();
  }
}
