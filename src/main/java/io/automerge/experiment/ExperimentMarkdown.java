package io.automerge.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders report.json's map as report.md: the paper's tables, then the pictures. */
public final class ExperimentMarkdown {
  private ExperimentMarkdown() {}

  /** objective, weights, lambda, re-scoring of a run, as one cell. */
  static String options(Map<String, Object> options) {
    if (options == null) {
      return "";
    }
    StringBuilder cell = new StringBuilder("`").append(options.get("objective"));
    Object pd = options.get("pd_penalty");
    if (pd instanceof Number n && n.doubleValue() > 0) {
      cell.append(" pd ").append(pd);
    }
    cell.append("`, ").append(options.get("weights"));
    if (options.get("lambda") != null) {
      cell.append(", λ ").append(options.get("lambda"));
    }
    Object rescore = options.get("rescore");
    if (rescore instanceof Number n && n.intValue() > 0) {
      cell.append(", re-score ").append(rescore);
    }
    if (Boolean.TRUE.equals(options.get("warm_start"))) {
      cell.append(", warm start");
    }
    if (options.get("techniques") instanceof List<?> techniques) {
      cell.append(", ").append(techniques.size()).append(" techniques");
    }
    return cell.toString();
  }

  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> report, List<String> figures) {
    StringBuilder md = new StringBuilder();
    List<String> tasks = Reports.get(report, "tasks");
    Map<String, Object> budget = Reports.get(report, "budget");
    Map<String, Map<String, Object>> methods = Reports.get(report, "methods");
    md.append("# AutoMerge experiment: ").append(report.get("spec")).append("\n\n");
    md.append(String.format(Locale.ROOT,
        "Budget per search: %s trials (%s initial), %s validation samples per task, test samples per task: %s; "
            + "%s seed(s) per search kind; AutoMerge segmentation `%s`. Questions: %s.%n%n",
        budget.get("trials"), budget.get("initial"), budget.get("validation_samples_per_task"),
        budget.get("test_samples_per_task"), budget.get("seeds"), budget.get("segmentation"), report.get("questions")));
    md.append("Methods: every merge technique at the paper's LLM setting on the whole model (RQ1: equal weights, density 0.65); "
        + "`base_model`: the base model itself, unmerged; "
        + "`grid_best`: the fixed plan (RQ1 settings, and the RQ2 grid when asked for) with the lowest validation cost; `automerge`: segmented BO (RQ3); "
        + "`automerge_default`: segmented BO with the spec's own settings (AutoMerge's defaults unless the spec says otherwise); "
        + "`v-NAME`: a named variant of the spec (`--variant`); "
        + "`automerge_whole`: BO without the segmenter (RQ5); `random`: random search in the paper's space. "
        + "`automerge`, `automerge_whole` and `random` use the paper's settings (objective `harmonic`, simplex weights, lambda 1, no re-scoring). "
        + "Seeded methods show the median over seeds and [min–max].\n\n");

    md.append("## PR per task, mean PR, PD (test split)\n\n| method | ");
    tasks.forEach(t -> md.append("PR ").append(t).append(" | "));
    md.append("mean PR | PD | evaluations | best val cost | options |\n|---|");
    tasks.forEach(t -> md.append("---|"));
    md.append("---|---|---|---|---|\n");
    methods.forEach((name, m) -> {
      Map<String, Double> pr = Reports.get(m, "pr");
      md.append("| ").append(name.startsWith("automerge") ? "**" + name + "**" : name).append(" | ");
      tasks.forEach(t -> md.append(pct(pr.get(t))).append(" | "));
      Map<String, List<Double>> spread = (Map<String, List<Double>>) m.get("spread");
      md.append(pct(Reports.number(m.get("mean_pr")))).append(range(spread, "mean_pr")).append(" | ")
          .append(pct(Reports.number(m.get("pd")))).append(range(spread, "pd")).append(" | ")
          .append(m.get("evaluations")).append(" | ").append(num(Reports.number(m.get("best_cost")))).append(" | ")
          .append(options((Map<String, Object>) m.get("options"))).append(" |\n");
    });

    md.append("\n## Test metrics of sources and merged models\n\n| model | task | loss | metrics |\n|---|---|---|---|\n");
    Map<String, Object> sources = Reports.get(report, "sources");
    sources.forEach((source, byTask) -> rows(md, "source " + source, (Map<String, Object>) byTask));
    methods.forEach((name, m) -> {
      if (m.containsKey("seeds")) {
        for (Map<String, Object> seed : (List<Map<String, Object>>) m.get("seeds")) {
          rows(md, seed.get("run") + " (seed " + seed.get("seed") + ")", (Map<String, Object>) seed.get("test"));
        }
      } else {
        rows(md, name, (Map<String, Object>) m.get("test"));
      }
    });

    Map<String, Object> convergence = Reports.get(report, "convergence");
    if (convergence.containsKey("grid_best_cost")) {
      md.append(String.format(Locale.ROOT, "%n## Does the search beat the fixed plans sooner?%n%n"
              + "The best fixed plan reached validation cost %.4f after %s evaluations. Evaluations each search needed "
              + "to reach that cost (\"never\" = not within its budget), per seed s0, s1, …:%n%n| method | per seed | best cost per seed |%n|---|---|---|%n",
          Reports.number(convergence.get("grid_best_cost")), convergence.get("grid_evaluations")));
      methods.forEach((name, m) -> {
        if (m.containsKey("seeds")) {
          List<Map<String, Object>> seeds = (List<Map<String, Object>>) m.get("seeds");
          md.append("| ").append(name).append(" | ")
              .append(String.join(", ", seeds.stream().map(s -> !s.containsKey("evaluations_to_grid_best") ? "– (other objective)"
                  : s.get("evaluations_to_grid_best") == null ? "never" : String.valueOf(s.get("evaluations_to_grid_best"))).toList()))
              .append(" | ").append(String.join(", ", seeds.stream().map(s -> num(Reports.number(s.get("best_cost")))).toList()))
              .append(" |\n");
        }
      });
    }

    if (report.containsKey("rq2")) {
      Map<String, Object> rq2 = Reports.get(report, "rq2");
      List<Map<String, Object>> points = Reports.get(rq2, "points");
      boolean pr = points.stream().allMatch(p -> p.containsKey("pr"));
      md.append("\n## RQ2: sensitivity\n\nBest grid point per technique by validation cost; "
          + "AP_t = L(S_t)/L(M) on the validation samples, in percent")
          .append(pr ? "; PR_t on the first " + rq2.get("test_samples_per_task") + " test examples per task (heatmaps show this PR)" : "")
          .append(".\n\n| technique | weight | density | cost | ");
      tasks.forEach(t -> md.append("AP ").append(t).append(" | "));
      if (pr) {
        tasks.forEach(t -> md.append("PR ").append(t).append(" | "));
      }
      md.append("\n|---|---|---|---|");
      tasks.forEach(t -> md.append(pr ? "---|---|" : "---|"));
      md.append("\n");
      for (String technique : io.automerge.merge.MergeMethods.allNames()) {
        points.stream().filter(p -> p.get("technique").equals(technique))
            .min((a, b) -> Double.compare(Reports.number(a.get("cost")), Reports.number(b.get("cost"))))
            .ifPresent(p -> {
              md.append("| ").append(technique).append(" | ").append(num(Reports.number(p.get("weight")))).append(" | ")
                  .append(num(Reports.number(p.get("density")))).append(" | ").append(num(Reports.number(p.get("cost")))).append(" | ");
              Map<String, Double> ap = Reports.get(p, "ap");
              tasks.forEach(t -> md.append(pct(ap.get(t))).append(" | "));
              if (pr) {
                Map<String, Double> rates = Reports.get(p, "pr");
                tasks.forEach(t -> md.append(pct(rates.get(t))).append(" | "));
              }
              md.append("\n");
            });
      }
    }

    md.append("\n## Pictures\n\n");
    for (String figure : figures) {
      md.append("![").append(figure).append("](").append(figure).append(")\n\n");
    }
    md.append("## Runs\n\n| run | search id | trials | failed | done before this process | export |\n|---|---|---|---|---|---|\n");
    for (Map<String, Object> run : (List<Map<String, Object>>) report.get("runs")) {
      md.append("| ").append(run.get("run")).append(" | `").append(run.get("search")).append("` | ").append(run.get("trials"))
          .append(" | ").append(run.get("failed")).append(" | ").append(run.get("completed_before_this_process"))
          .append(" | `").append(run.get("export")).append("` |\n");
    }
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  private static void rows(StringBuilder md, String model, Map<String, Object> byTask) {
    if (byTask == null) {
      return;
    }
    byTask.forEach((task, result) -> {
      Map<String, Object> r = (Map<String, Object>) result;
      StringBuilder metrics = new StringBuilder();
      r.forEach((k, v) -> {
        if (!k.equals("loss") && !k.equals("samples")) {
          metrics.append(k).append(' ').append(num(Reports.number(v))).append(' ');
        }
      });
      md.append("| ").append(model).append(" | ").append(task).append(" | ").append(num(Reports.number(r.get("loss"))))
          .append(" | ").append(metrics.toString().strip()).append(" |\n");
    });
  }

  private static String range(Map<String, List<Double>> spread, String key) {
    if (spread == null || !spread.containsKey(key)) {
      return "";
    }
    List<Double> r = spread.get(key);
    return String.format(Locale.ROOT, " [%.1f–%.1f]", r.get(0), r.get(1));
  }

  private static String pct(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f %%", v);
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
