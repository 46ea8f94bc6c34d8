package io.automerge.experiment;

import io.automerge.InvalidInputException;
import io.automerge.actors.OptimizerProposer;
import io.automerge.search.SearchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The searches an experiment consists of, derived from the user's spec alone (so a rerun derives
 * the same ids and specs): one search of fixed plans for RQ1/RQ2, then per seed AutoMerge (RQ3),
 * AutoMerge on the whole model (RQ5) and random search in AutoMerge's space.
 */
public record ExperimentPlan(SearchSpec spec, Set<String> questions, int seeds, List<ExperimentRun> runs) {
  public static final String FIXED = "fixed";
  public static final String AUTOMERGE = "automerge";
  public static final String WHOLE = "automerge_whole";
  public static final String RANDOM = "random";
  public static final List<String> QUESTIONS = List.of("1", "2", "3", "5", "random");

  public static ExperimentPlan of(SearchSpec spec, Set<String> questions, int seeds) {
    if (seeds < 1) {
      throw new InvalidInputException("--seeds must be at least 1 (got " + seeds + ")");
    }
    for (String q : questions) {
      if (!QUESTIONS.contains(q)) {
        throw new InvalidInputException("--rq: unknown question '" + q + "' (expected some of " + QUESTIONS + ")");
      }
    }
    if (questions.isEmpty()) {
      throw new InvalidInputException("--rq: name at least one question of " + QUESTIONS);
    }
    List<ExperimentRun> runs = new ArrayList<>();
    List<FixedPlan> fixed = new ArrayList<>();
    if (questions.contains("1") || questions.contains("2")) {
      // RQ1 is always part of the fixed search: its export reports the five techniques on test.
      fixed.addAll(FixedPlans.rq1(spec.models().size()));
    }
    if (questions.contains("2")) {
      fixed.addAll(FixedPlans.rq2(spec.models().size()));
    }
    if (!fixed.isEmpty()) {
      String id = questions.contains("2") ? "rq1-rq2" : "rq1";
      runs.add(new ExperimentRun(FIXED, 0, derived(spec, id, "whole", spec.seed(), fixed.size()), new RunStrategy.Fixed(fixed)));
    }
    for (int s = 0; s < seeds; s++) {
      long seed = spec.seed() + s;
      if (questions.contains("3")) {
        runs.add(optimized(spec, AUTOMERGE, s, spec.segmentation(), seed, OptimizerProposer.Kind.BAYESIAN));
      }
      if (questions.contains("5")) {
        runs.add(optimized(spec, WHOLE, s, "whole", seed, OptimizerProposer.Kind.BAYESIAN));
      }
      if (questions.contains("random")) {
        runs.add(optimized(spec, RANDOM, s, spec.segmentation(), seed, OptimizerProposer.Kind.RANDOM));
      }
    }
    return new ExperimentPlan(spec, new LinkedHashSet<>(questions), seeds, List.copyOf(runs));
  }

  public List<ExperimentRun> runs(String method) {
    return runs.stream().filter(r -> r.method().equals(method)).toList();
  }

  private static ExperimentRun optimized(SearchSpec spec, String method, int s, String segmentation, long seed, OptimizerProposer.Kind kind) {
    return new ExperimentRun(method, s, derived(spec, method + "-s" + s, segmentation, seed, spec.trials()), new RunStrategy.Optimized(kind));
  }

  /**
   * The spec of one run: the user's spec with its own id, segmentation, seed, budget and export
   * directory ({@code <output>-experiment/<run>}, derived from the spec, never from --out, so
   * that the journal's spec stays the same whatever --out a rerun names).
   */
  private static SearchSpec derived(SearchSpec spec, String suffix, String segmentation, long seed, int trials) {
    String id = spec.id() + ".x-" + suffix.replace('_', '-');
    if (id.length() > 100) {
      throw new InvalidInputException("id: " + spec.id() + " is too long for experiment run ids (at most 80 characters)");
    }
    Path output = Path.of(spec.output() + "-experiment").resolve(suffix);
    return new SearchSpec(id, spec.baseModel(), spec.models(), segmentation, spec.techniques(), spec.density(),
        trials, Math.min(spec.initial(), trials), spec.validation(), spec.workers(), seed, output.toString(), spec.objective(),
        spec.declaredTasks());
  }
}
