package io.automerge.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.model.ModelCheckpoints;
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
  private final int batchSize;
  private final Map<String, TaskScore> sourceScores;
  private Map<String, TaskScore> fullSourceScores;

  private ResidentSession(NDManager root, ResidentWeights weights, Segmentation segmentation, List<ValidationSet> validation, int batchSize) {
    this.root = root;
    this.weights = weights;
    this.segmentation = segmentation;
    this.validation = validation;
    this.batchSize = batchSize;
    this.sourceScores = Collections.unmodifiableMap(measureSources(false));
  }

  static ResidentSession open(SearchSpec spec, Segmentation segmentation, Device device, int batchSize) {
    NDManager root = NDManager.newBaseManager(device);
    try {
      Path base = Path.of(spec.baseModel());
      List<Path> sources = spec.models().stream().map(m -> Path.of(m.path())).toList();
      ResidentWeights weights = ResidentWeights.load(base, sources, spec.seed(), root);
      JsonNode config = ModelCheckpoints.readConfig(base);
      List<ValidationSet> validation = new ArrayList<>();
      for (String task : spec.tasks()) {
        if (validation.stream().anyMatch(v -> v.task().name().equals(task.trim()))) {
          throw new InvalidInputException("models: task " + task + " is given to more than one model");
        }
        validation.add(new ValidationSet(ModelTasks.parse(config, task), spec.validation().samplesPerTask(), batchSize, root));
      }
      return new ResidentSession(root, weights, segmentation, validation, batchSize);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** Loads each source in turn and scores it on its own task; leaves the base loaded. */
  private Map<String, TaskScore> measureSources(boolean full) {
    Map<String, TaskScore> scores = new LinkedHashMap<>();
    for (int i = 0; i < validation.size(); i++) {
      weights.loadSource(i);
      try (NDManager scope = root.newSubManager()) {
        scores.put(validation.get(i).task().name(), score(validation.get(i), full, scope));
      }
    }
    weights.loadBase();
    return scores;
  }

  private TaskScore score(ValidationSet set, boolean full, NDManager scope) {
    return full ? ValidationSet.scoreAll(weights.model(), set.task(), batchSize, scope) : set.score(weights.model(), scope);
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
      fullSourceScores = Collections.unmodifiableMap(measureSources(true));
    }
    return fullSourceScores;
  }

  @Override
  public void apply(TrialPlan plan) {
    List<BlockMerge> blocks = BlockMerge.of(segmentation, plan, weights.modelCount());
    try (NDManager trial = root.newSubManager()) {
      weights.apply(blocks, trial);
    }
  }

  @Override
  public Map<String, TaskScore> scores(boolean fullValidation) {
    Map<String, TaskScore> scores = new LinkedHashMap<>();
    try (NDManager scope = root.newSubManager()) {
      for (ValidationSet set : validation) {
        scores.put(set.task().name(), score(set, fullValidation, scope));
      }
    }
    return scores;
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
