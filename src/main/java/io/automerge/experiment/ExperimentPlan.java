package io.automerge.experiment;

import io.automerge.InvalidInputException;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The searches an experiment consists of, derived from the user's spec alone (so a rerun derives
 * the same ids and specs): one search of fixed plans for RQ1/RQ2, then per seed AutoMerge with the
 * paper's settings (RQ3), AutoMerge with the spec's own settings (its defaults: {@code default}),
 * the paper's AutoMerge on the whole model (RQ5), random search in the paper's space, and any
 * named variants of the spec ({@code --variant}).
 */
public record ExperimentPlan(SearchSpec spec, Set<String> questions, int seeds, List<ExperimentRun> runs) {
  public static final String FIXED = "fixed";
  public static final String AUTOMERGE = "automerge";
  public static final String DEFAULT = "automerge_default";
  public static final String WHOLE = "automerge_whole";
  public static final String RANDOM = "random";
  public static final List<String> QUESTIONS = List.of("1", "2", "3", "default", "5", "random");
  /** The paper's search: its five techniques, the loss-ratio objective, weights on the simplex, lambda 1, no re-scoring, no warm start. */
  public static final Map<String, Object> PAPER = paper();

  private static Map<String, Object> paper() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objective", "harmonic");
    m.put("pd_penalty", 0.0);
    m.put("weights", "simplex");
    m.put("lambda", null);
    m.put("rescore", 0);
    m.put("warm_start", false);
    m.put("techniques", io.automerge.merge.MergeMethods.paperNames());
    return Collections.unmodifiableMap(m);
  }

  /** A named change of the spec, run per seed as its own row, e.g. {@code free:weights=free;lambda=[0.5,1.5]}. */
  public record Variant(String name, Map<String, Object> fields) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");

    public static Variant parse(String text) {
      int colon = text.indexOf(':');
      String name = colon < 0 ? "" : text.substring(0, colon).trim();
      if (!NAME.matcher(name).matches()) {
        throw new InvalidInputException("--variant '" + text + "': expected NAME:field=value;field=value (NAME: a-z, 0-9, _ or -)");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      for (String part : text.substring(colon + 1).split(";")) {
        int eq = part.indexOf('=');
        if (eq < 1) {
          throw new InvalidInputException("--variant '" + text + "': '" + part + "' is not field=value");
        }
        try {
          fields.put(part.substring(0, eq).trim(), YAML.readValue(part.substring(eq + 1), Object.class));
        } catch (java.io.IOException e) {
          throw new InvalidInputException("--variant '" + text + "': value of " + part.substring(0, eq).trim() + " is not YAML");
        }
      }
      return new Variant(name, fields);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
        new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
  }

  public static ExperimentPlan of(SearchSpec spec, Set<String> questions, int seeds) {
    return of(spec, questions, seeds, List.of());
  }

  public static ExperimentPlan of(SearchSpec spec, Set<String> questions, int seeds, List<Variant> variants) {
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
      // The plan count is in the id: registering a technique changes the fixed run, which must not
      // collide with an earlier experiment's fixed run of fewer plans under the same id.
      String id = (questions.contains("2") ? "rq1-rq2-" : "rq1-") + fixed.size();
      // The grid's best plan is picked as the spec's search picks its own: same objective, same re-scoring.
      runs.add(new ExperimentRun(FIXED, 0, derived(spec, Map.of(), id, "whole", spec.seed(), fixed.size()), new RunStrategy.Fixed(fixed)));
    }
    for (int s = 0; s < seeds; s++) {
      long seed = spec.seed() + s;
      if (questions.contains("3")) {
        runs.add(optimized(spec, PAPER, AUTOMERGE, s, spec.segmentation(), seed, ProposalStrategy.Algorithm.BAYESIAN));
      }
      if (questions.contains("default")) {
        runs.add(optimized(spec, Map.of(), DEFAULT, DEFAULT + "-" + settingsTag(spec), s, spec.segmentation(), seed,
            ProposalStrategy.Algorithm.BAYESIAN));
      }
      if (questions.contains("5")) {
        runs.add(optimized(spec, PAPER, WHOLE, s, "whole", seed, ProposalStrategy.Algorithm.BAYESIAN));
      }
      if (questions.contains("random")) {
        runs.add(optimized(spec, PAPER, RANDOM, s, spec.segmentation(), seed, ProposalStrategy.Algorithm.RANDOM));
      }
      for (Variant v : variants) {
        runs.add(optimized(spec, v.fields(), "v-" + v.name(), s, spec.segmentation(), seed, ProposalStrategy.Algorithm.BAYESIAN));
      }
    }
    return new ExperimentPlan(spec, new LinkedHashSet<>(questions), seeds, List.copyOf(runs));
  }

  public List<ExperimentRun> runs(String method) {
    return runs.stream().filter(r -> r.method().equals(method)).toList();
  }

  private static ExperimentRun optimized(SearchSpec spec, Map<String, Object> settings, String method, int s, String segmentation,
      long seed, ProposalStrategy.Algorithm kind) {
    return optimized(spec, settings, method, method, s, segmentation, seed, kind);
  }

  private static ExperimentRun optimized(SearchSpec spec, Map<String, Object> settings, String method, String run, int s,
      String segmentation, long seed, ProposalStrategy.Algorithm kind) {
    return new ExperimentRun(method, s, derived(spec, settings, run + "-s" + s, segmentation, seed, spec.trials()),
        new RunStrategy.Optimized(kind));
  }

  /**
   * Six hex digits of the search settings the spec's defaults fill in. The default row's runs are
   * named by them, so a changed default starts new runs instead of meeting the journal's runs of
   * the old defaults under the same id.
   */
  static String settingsTag(SearchSpec spec) {
    int hash = java.util.Objects.hash(spec.objective(), spec.pdPenalty(), spec.weights(), spec.weightRange(), spec.lambda(),
        spec.rescore(), spec.warmStart(), spec.techniques(), spec.density());
    // settings added later count only when set, so the runs of earlier experiments keep their ids
    if (!spec.groups().isEmpty()) {
      hash = 31 * hash + spec.groups().hashCode();
    }
    if (spec.select() != null) {
      hash = 31 * hash + spec.select().hashCode();
    }
    if (spec.fidelity() != null) {
      hash = 31 * hash + spec.fidelity().hashCode();
    }
    return String.format("%06x", hash & 0xffffff);
  }

  /**
   * The spec of one run: the user's spec with its own id, segmentation, seed, budget and export
   * directory ({@code <output>-experiment/<run>}, derived from the spec, never from --out, so
   * that the journal's spec stays the same whatever --out a rerun names).
   */
  private static SearchSpec derived(SearchSpec spec, Map<String, Object> settings, String suffix, String segmentation, long seed,
      int trials) {
    String id = spec.id() + ".x-" + suffix.replace('_', '-');
    if (id.length() > 100) {
      throw new InvalidInputException("id: " + spec.id() + " is too long for experiment run ids (at most 80 characters)");
    }
    Path output = Path.of(spec.output() + "-experiment").resolve(suffix);
    Map<String, Object> fields = new LinkedHashMap<>(settings);
    fields.put("id", id);
    // a variant's own budget or segmentation wins (--variant "deep:segmentation=layers:2;trials=80")
    fields.putIfAbsent("segmentation", segmentation);
    fields.putIfAbsent("trials", trials);
    int budget = ((Number) fields.get("trials")).intValue();
    fields.putIfAbsent("initial", Math.min(spec.initial(), budget));
    fields.put("seed", seed);
    fields.put("output", output.toString());
    // Only the fixed run's export scores the fixed techniques; the others would repeat it.
    boolean fixedRun = suffix.startsWith("rq1");
    fields.put("report", Map.of("baselines", fixedRun));
    if (fixedRun) {
      // The fixed run proposes nothing, so the search space's settings cannot change it: pinned,
      // the run keeps its spec (and its journal) when a default of the space changes.
      for (String field : List.of("warm_start", "techniques")) {
        fields.put(field, PAPER.get(field));
      }
      fields.put("fidelity", null); // every fixed plan on the whole validation sample
    }
    return spec.with(fields);
  }
}
