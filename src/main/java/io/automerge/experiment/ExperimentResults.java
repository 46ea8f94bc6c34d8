package io.automerge.experiment;

import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the finished runs into report.json's map. Test PR/PD come from each search's export
 * (the fixed search's export also scores the five RQ1 techniques); validation costs come from
 * the journal's trials. Nothing here evaluates a model.
 */
public final class ExperimentResults {
  public static final String GRID_BEST = "grid_best";
  /** The base model unmerged, scored beside the fixed techniques (from the fixed run's export). */
  public static final String BASE_MODEL = "base_model";

  private ExperimentResults() {}

  /**
   * @param gridPr test PR per RQ2 grid point (label → task → PR), or null when not measured; the
   *     heatmaps then show validation AP only
   */
  public static Map<String, Object> build(ExperimentPlan plan, List<RunOutcome> outcomes, int testSamples,
      Map<String, Map<String, Double>> gridPr, int gridTestSamples) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("spec", plan.spec().id());
    report.put("base_model", plan.spec().baseModel());
    report.put("models", plan.spec().models().stream().map(m -> Map.of("path", m.path(), "task", m.task())).toList());
    report.put("budget", budget(plan, testSamples));
    report.put("questions", List.copyOf(plan.questions()));

    Map<String, Object> methods = new LinkedHashMap<>();
    RunOutcome fixed = outcomes.stream().filter(o -> o.run().method().equals(ExperimentPlan.FIXED)).findFirst().orElse(null);
    List<String> tasks = tasksOf(outcomes.get(0));
    report.put("tasks", tasks);
    report.put("sources", Reports.at(Reports.report(outcomes.get(0)), "test", "sources"));
    if (fixed != null) {
      for (Map<String, Object> entry : Reports.<List<Map<String, Object>>>get(Reports.report(fixed), "fixed")) {
        methods.put((String) entry.get("technique"), single(entry, tasks, 1));
      }
      @SuppressWarnings("unchecked") // absent from an older export, or with baselines: false
      Map<String, Object> base = (Map<String, Object>) Reports.report(fixed).get("base");
      if (base != null) {
        methods.put(BASE_MODEL, single(base, tasks, 1));
      }
      Map<String, Object> best = single(Reports.report(fixed), tasks, fixed.state().count(SearchState.Outcome.COMPLETED));
      // How the grid's best was picked (objective, re-scoring); the fixed run has no search space.
      @SuppressWarnings("unchecked")
      Map<String, Object> options = (Map<String, Object>) Reports.report(fixed).get("options");
      if (options != null) {
        Map<String, Object> picked = new LinkedHashMap<>(options);
        picked.keySet().removeAll(List.of("warm_start", "techniques"));
        best.put("options", picked);
      }
      best.put("plan", Reports.at(Reports.report(fixed), "best", "plan"));
      best.put("best_cost", Reports.number(Reports.at(Reports.report(fixed), "best", "cost")));
      methods.put(GRID_BEST, best);
    }
    Double gridBestCost = fixed == null ? null : Reports.number(Reports.at(Reports.report(fixed), "best", "cost"));
    Map<String, Object> curves = new LinkedHashMap<>();
    List<String> seededMethods = plan.runs().stream().map(ExperimentRun::method).filter(m -> !m.equals(ExperimentPlan.FIXED))
        .distinct().toList();
    for (String method : seededMethods) {
      List<RunOutcome> runs = outcomes.stream().filter(o -> o.run().method().equals(method)).toList();
      if (!runs.isEmpty()) {
        // Costs compare only under one objective: the grid's best is measured with the fixed run's.
        boolean comparable = fixed != null && runs.get(0).run().spec().objective().equals(fixed.run().spec().objective());
        methods.put(method, seeded(runs, tasks, comparable ? gridBestCost : null));
        if (comparable || fixed == null) {
          curves.put(method, runs.stream().map(o -> Curves.bestSoFar(o.state())).toList());
        }
      }
    }
    report.put("methods", methods);

    Map<String, Object> convergence = new LinkedHashMap<>();
    if (fixed != null) {
      convergence.put("grid_best_cost", gridBestCost);
      convergence.put("grid_evaluations", fixed.state().count(SearchState.Outcome.COMPLETED));
      convergence.put("grid_curve", Curves.bestSoFar(fixed.state()));
    }
    convergence.put("curves", curves);
    report.put("convergence", convergence);
    if (fixed != null && plan.questions().contains("2")) {
      Map<String, Object> rq2 = rq2(fixed, tasks, gridPr);
      rq2.put("test_samples_per_task", gridPr == null ? null : gridTestSamples <= 0 ? "all" : gridTestSamples);
      report.put("rq2", rq2);
    }
    report.put("runs", outcomes.stream().map(ExperimentResults::runJson).toList());
    return report;
  }

  private static Map<String, Object> budget(ExperimentPlan plan, int testSamples) {
    Map<String, Object> budget = new LinkedHashMap<>();
    budget.put("trials", plan.spec().trials());
    budget.put("initial", plan.spec().initial());
    budget.put("seeds", plan.seeds());
    budget.put("validation_samples_per_task", plan.spec().validation().samplesPerTask());
    budget.put("test_samples_per_task", testSamples <= 0 ? "all" : testSamples);
    budget.put("segmentation", plan.spec().segmentation());
    return budget;
  }

  private static List<String> tasksOf(RunOutcome outcome) {
    return List.copyOf(Reports.<Map<String, Object>>get(Reports.report(outcome), "preservation_rate").keySet());
  }

  /** One evaluated model: PR per task, mean PR, PD and the test metrics behind them. */
  private static Map<String, Object> single(Map<String, Object> source, List<String> tasks, long evaluations) {
    Map<String, Double> pr = prOf(source, tasks);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pr", pr);
    m.put("mean_pr", mean(pr));
    m.put("pd", Reports.number(source.get("preservation_discrepancy")));
    m.put("evaluations", evaluations);
    Object test = source.containsKey("test") && Reports.<Map<String, Object>>get(source, "test").containsKey("merged")
        ? Reports.at(source, "test", "merged") : source.get("test");
    m.put("test", test);
    return m;
  }

  /** Median over seeds per task, of mean PR and of PD, with each seed's numbers and the range. */
  private static Map<String, Object> seeded(List<RunOutcome> runs, List<String> tasks, Double gridBestCost) {
    List<Map<String, Object>> perSeed = new ArrayList<>();
    for (RunOutcome o : runs) {
      Map<String, Object> report = Reports.report(o);
      Map<String, Object> s = single(report, tasks, o.state().count(SearchState.Outcome.COMPLETED));
      s.put("run", o.run().name());
      s.put("seed", o.run().spec().seed());
      s.put("search", o.run().spec().id());
      s.put("best_cost", Reports.number(Reports.at(report, "best", "cost")));
      s.put("options", report.get("options"));
      s.put("plan", Reports.at(report, "best", "plan"));
      if (gridBestCost != null) {
        s.put("evaluations_to_grid_best", Curves.evaluationsToReach(Curves.bestSoFar(o.state()), gridBestCost));
      }
      perSeed.add(s);
    }
    Map<String, Double> pr = new LinkedHashMap<>();
    for (String task : tasks) {
      pr.put(task, Stats.of(perSeed.stream().map(s -> Reports.<Map<String, Double>>get(s, "pr").get(task)).toList()).median());
    }
    Stats meanPr = Stats.of(perSeed.stream().map(s -> (Double) s.get("mean_pr")).toList());
    Stats pd = Stats.of(perSeed.stream().map(s -> (Double) s.get("pd")).toList());
    Stats cost = Stats.of(perSeed.stream().map(s -> (Double) s.get("best_cost")).toList());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pr", pr);
    m.put("mean_pr", meanPr.median());
    m.put("pd", pd.median());
    m.put("evaluations", perSeed.get(0).get("evaluations"));
    m.put("options", perSeed.get(0).get("options"));
    m.put("best_cost", cost.median());
    Map<String, Object> spread = new LinkedHashMap<>();
    spread.put("mean_pr", meanPr.range());
    spread.put("pd", pd.range());
    spread.put("best_cost", cost.range());
    m.put("spread", spread);
    m.put("seeds", perSeed);
    return m;
  }

  /**
   * Every grid point's validation cost, approximate preservation AP_t = L(S_t)/L(M) in percent,
   * and its test PR where measured.
   */
  private static Map<String, Object> rq2(RunOutcome fixed, List<String> tasks, Map<String, Map<String, Double>> gridPr) {
    Map<String, Double> sourceLoss = Reports.get(Reports.<Map<String, Object>>get(Reports.report(fixed), "validation"), "source_loss");
    List<FixedPlan> plans = ((RunStrategy.Fixed) fixed.run().strategy()).plans();
    List<Map<String, Object>> points = new ArrayList<>();
    for (SearchState.Trial t : fixed.state().trials().values()) {
      FixedPlan p = plans.get((t.id() - 1) % plans.size());
      if (!p.question().equals(FixedPlan.RQ2) || t.cost() == null) {
        continue;
      }
      BlockChoice choice = p.choice();
      Map<String, Double> ap = new LinkedHashMap<>();
      for (String task : tasks) {
        Double loss = t.losses().get(task);
        ap.put(task, loss == null ? Double.NaN : 100.0 * Reports.number(sourceLoss.get(task)) / loss);
      }
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("technique", choice.technique());
      point.put("weight", p.weight());
      point.put("density", choice.density());
      point.put("cost", t.cost());
      point.put("ap", ap);
      if (gridPr != null && gridPr.containsKey(p.label())) {
        Map<String, Double> pr = new LinkedHashMap<>();
        tasks.forEach(task -> pr.put(task, Reports.number(gridPr.get(p.label()).get(task))));
        point.put("pr", pr);
      }
      points.add(point);
    }
    Map<String, Object> rq2 = new LinkedHashMap<>();
    rq2.put("points", points);
    return rq2;
  }

  private static Map<String, Double> prOf(Map<String, Object> source, List<String> tasks) {
    Map<String, Object> raw = Reports.get(source, "preservation_rate");
    Map<String, Double> pr = new LinkedHashMap<>();
    for (String task : tasks) {
      pr.put(task, Reports.number(raw.get(task)));
    }
    return pr;
  }

  private static double mean(Map<String, Double> values) {
    return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static Map<String, Object> runJson(RunOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", o.run().name());
    m.put("search", o.run().spec().id());
    m.put("trials", o.state().count(SearchState.Outcome.COMPLETED));
    m.put("failed", o.state().count(SearchState.Outcome.FAILED));
    m.put("completed_before_this_process", o.completedBefore());
    m.put("export", o.state().export().dir());
    m.put("wall_millis", Reports.report(o).get("wall_millis"));
    return m;
  }
}
