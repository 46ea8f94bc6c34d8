package io.automerge.search;

import io.automerge.InvalidInputException;
import io.automerge.eval.Objective;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.segment.TensorRole;
import io.automerge.trial.CacheSources;
import io.automerge.trial.ModelDtype;
import java.util.HashSet;

/**
 * Every rule of a {@link SearchSpec} that does not look at the file system, each failing with one
 * line that names the field; a spec is checked as a whole before its first event is persisted.
 */
final class SpecFieldChecks {
  private SpecFieldChecks() {}

  /** @param where the spec file and ": ", the start of every message */
  static void check(SearchSpec s, String where) {
    if (s.id() == null || !SearchSpec.ID.matcher(s.id()).matches()) {
      throw new InvalidInputException(where + "id: required, letters/digits/._- (got " + s.id() + ")");
    }
    if (s.baseModel() == null) {
      throw new InvalidInputException(where + "base_model: required");
    }
    if (s.models().size() < 2) {
      throw new InvalidInputException(where + "models: at least two source models are required");
    }
    for (int i = 0; i < s.models().size(); i++) {
      SearchSpec.SourceModel m = s.models().get(i);
      if (m.path() == null || m.task() == null) {
        throw new InvalidInputException(where + "models[" + i + "]: needs both path and task");
      }
    }
    if (!SearchSpec.SEGMENTATION.matcher(s.segmentation()).matches()) {
      throw new InvalidInputException(where + "segmentation: expected shape, whole or layers:K (got " + s.segmentation() + ")");
    }
    s.groups().forEach(g -> TensorRole.parse(g, where + "groups"));
    if (new HashSet<>(s.groups()).size() != s.groups().size()) {
      throw new InvalidInputException(where + "groups: each role at most once (got " + s.groups() + ")");
    }
    if (s.techniques().isEmpty() || !MergeMethods.allNames().containsAll(s.techniques())) {
      throw new InvalidInputException(where + "techniques: expected a non-empty subset of " + MergeMethods.allNames() + " (got " + s.techniques() + ")");
    }
    for (String technique : s.techniques()) {
      MergeMethod method = MergeMethods.find(technique).orElseThrow();
      if (!method.searchableWith(s.models().size())) {
        throw new InvalidInputException(where + "techniques: " + technique + " takes " + method.minModels()
            + (method.maxModels() == method.minModels() ? "" : "+") + " source models, this spec has " + s.models().size());
      }
    }
    if (s.density().size() != 2 || !(s.density().get(0) > 0 && s.density().get(0) <= s.density().get(1) && s.density().get(1) <= 1)) {
      throw new InvalidInputException(where + "density: expected [min, max] with 0 < min <= max <= 1 (got " + s.density() + ")");
    }
    if (s.trials() < 1 || s.initial() < 1) {
      throw new InvalidInputException(where + "trials and initial must be positive");
    }
    if (s.validation().samplesPerTask() < 1) {
      throw new InvalidInputException(where + "validation.samples_per_task must be positive");
    }
    if (!"auto".equals(s.workers()) && !s.workers().matches("[1-9][0-9]*")) {
      throw new InvalidInputException(where + "workers: expected auto or a positive number (got " + s.workers() + ")");
    }
    if (s.output() == null) {
      throw new InvalidInputException(where + "output: required");
    }
    if (!SearchSpec.OBJECTIVES.contains(s.objective())) {
      throw new InvalidInputException(where + "objective: expected one of " + SearchSpec.OBJECTIVES + " (got " + s.objective() + ")");
    }
    if (s.select() != null && !s.pareto()) {
      throw new InvalidInputException(where + "select: only with objective: pareto, it picks the exported front member (got objective " + s.objective() + ")");
    }
    if (s.pareto() && !Objective.NAMES.contains(s.select())) {
      throw new InvalidInputException(where + "select: expected one of " + Objective.NAMES + " (got " + s.select() + ")");
    }
    if (!(s.pdPenalty() >= 0) || Double.isInfinite(s.pdPenalty())) {
      throw new InvalidInputException(where + "pd_penalty: expected a number >= 0 (got " + s.pdPenalty() + ")");
    }
    if (!SearchSpec.WEIGHT_MODES.contains(s.weights())) {
      throw new InvalidInputException(where + "weights: expected one of " + SearchSpec.WEIGHT_MODES + " (got " + s.weights() + ")");
    }
    if (s.weightRange().size() != 2 || !(s.weightRange().get(0) >= 0 && s.weightRange().get(0) < s.weightRange().get(1))
        || Double.isInfinite(s.weightRange().get(1))) {
      throw new InvalidInputException(where + "weight_range: expected [min, max] with 0 <= min < max (got " + s.weightRange() + ")");
    }
    if (s.lambda() != null && (s.lambda().size() != 2 || !(s.lambda().get(0) > 0 && s.lambda().get(0) < s.lambda().get(1))
        || Double.isInfinite(s.lambda().get(1)))) {
      throw new InvalidInputException(where + "lambda: expected [min, max] with 0 < min < max, searched for the task-vector techniques (got " + s.lambda() + ")");
    }
    if (s.modelDtype() != null && !ModelDtype.NAMES.contains(s.modelDtype())) {
      throw new InvalidInputException(where + "model_dtype: expected one of " + ModelDtype.NAMES + " (got " + s.modelDtype() + ")");
    }
    CacheSources.check(s.cacheSourcesOnDevice(), where + "cache_sources_on_device");
    if (s.batchSize() != null && s.batchSize() < 1) {
      throw new InvalidInputException(where + "batch_size: expected a positive number of examples per forward pass (got " + s.batchSize() + ")");
    }
    if (s.report().testSamples() != null && s.report().testSamples() < 1) {
      throw new InvalidInputException(where + "report.test_samples: expected a positive number of test examples per task (got " + s.report().testSamples() + ")");
    }
    if (s.fidelity() != null && s.pareto()) {
      throw new InvalidInputException(where + "fidelity: not with objective: pareto (a front mixes costs measured on different samples)");
    }
    if (s.fidelity() != null) {
      s.fidelity().check(s.validation().samplesPerTask(), where);
    }
    if (s.rescore() < 0) {
      throw new InvalidInputException(where + "rescore: expected the number of best trials to re-score, >= 0 (got " + s.rescore() + ")");
    }
  }
}
