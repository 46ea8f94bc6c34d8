package io.automerge.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.data.CommandTask;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
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
 * A search resident on one device: the model, float32 base and source parameters, and fixed val
 * batches of every task, all in one manager. Each trial's temporaries live in a sub-manager that
 * closes with the trial, so hundreds of trials leave native memory where it was.
 */
final class ResidentSession implements TrialBackend.Session {
  private final NDManager root;
  private final ResidentWeights weights;
  private final Segmentation segmentation;
  private final List<ValidationSet> validation;
  private final List<String> taskOrder;
  private final List<CommandTask> commands;
  private final List<Path> sources;
  private final Path base;
  private final Map<String, Double> sourceLosses;

  private ResidentSession(NDManager root, ResidentWeights weights, Segmentation segmentation, List<ValidationSet> validation,
      List<ModelTask> tasks, List<Path> sources, Path base) {
    this.root = root;
    this.weights = weights;
    this.segmentation = segmentation;
    this.validation = validation;
    this.taskOrder = tasks.stream().map(ModelTask::name).toList();
    this.commands = tasks.stream().filter(t -> t instanceof CommandTask).map(t -> (CommandTask) t).toList();
    this.sources = sources;
    this.base = base;
    this.sourceLosses = Collections.unmodifiableMap(ordered(measureSources(tasks)));
  }

  static ResidentSession open(SearchSpec spec, Segmentation segmentation, Device device, int batchSize) {
    NDManager root = NDManager.newBaseManager(device);
    try {
      Path base = Path.of(spec.baseModel());
      List<Path> sources = spec.models().stream().map(m -> Path.of(m.path())).toList();
      ResidentWeights weights = ResidentWeights.load(base, sources, spec.seed(), root);
      List<ModelTask> tasks = ModelTasks.ofSearch(spec);
      List<ValidationSet> validation = new ArrayList<>();
      for (Task task : ModelTasks.tensorTasks(tasks)) {
        validation.add(new ValidationSet(task, spec.validation().samplesPerTask(), batchSize, root));
      }
      return new ResidentSession(root, weights, segmentation, validation, tasks, sources, base);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** Source i on task i: tensor tasks with the source loaded in place, commands on the source's own directory. */
  private Map<String, Double> measureSources(List<ModelTask> tasks) {
    Map<String, Double> losses = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      ModelTask task = tasks.get(i);
      if (task instanceof CommandTask command) {
        losses.put(task.name(), command.run(sources.get(i), Split.VAL).loss());
        continue;
      }
      ValidationSet set = validation.stream().filter(v -> v.task().name().equals(task.name())).findFirst().orElseThrow();
      weights.loadSource(i);
      try (NDManager scope = root.newSubManager()) {
        losses.put(task.name(), set.meanLoss(weights.model(), scope));
      }
    }
    weights.loadBase();
    return losses;
  }

  /** In the models' order, whatever order the tasks were measured in. */
  private Map<String, Double> ordered(Map<String, Double> losses) {
    Map<String, Double> out = new LinkedHashMap<>();
    taskOrder.forEach(t -> out.put(t, losses.get(t)));
    return out;
  }

  @Override
  public Map<String, Double> sourceLosses() {
    return sourceLosses;
  }

  @Override
  public void apply(TrialPlan plan) {
    List<BlockMerge> blocks = BlockMerge.of(segmentation, plan, weights.modelCount());
    try (NDManager trial = root.newSubManager()) {
      weights.apply(blocks, trial);
    }
  }

  @Override
  public Map<String, Double> losses() {
    Map<String, Double> losses = new LinkedHashMap<>();
    try (NDManager scope = root.newSubManager()) {
      for (ValidationSet set : validation) {
        losses.put(set.task().name(), set.meanLoss(weights.model(), scope));
      }
    }
    if (!commands.isEmpty()) {
      // External evaluators read a checkpoint: the merge, written for this trial only.
      try (ScratchCheckpoint scratch = ScratchCheckpoint.write(weights.model(), base)) {
        for (CommandTask command : commands) {
          losses.put(command.name(), command.run(scratch.dir(), Split.VAL).loss());
        }
      }
    }
    return ordered(losses);
  }

  /** Arrays the session's manager holds now; stays constant from trial to trial. */
  int residentArrays() {
    return root.getManagedArrays().size();
  }

  @Override
  public void close() {
    root.close();
  }
}
