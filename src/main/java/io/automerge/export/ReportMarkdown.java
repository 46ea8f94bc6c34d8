package io.automerge.export;

import io.automerge.eval.Preservation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders report.json's map as report.md. */
final class ReportMarkdown {
  private ReportMarkdown() {}

  @SuppressWarnings("unchecked")
  static String render(Map<String, Object> report) {
    StringBuilder md = new StringBuilder();
    md.append("# AutoMerge search ").append(report.get("search")).append("\n\n");
    Map<String, Object> best = (Map<String, Object>) report.get("best");
    Map<String, Object> segmentation = (Map<String, Object>) report.get("segmentation");
    md.append(String.format(Locale.ROOT, "Exported trial %s, search cost %.4f (objective `%s`). Segmentation `%s`.%n%n",
        best.get("trial"), (Double) best.get("cost"), report.getOrDefault("objective", "harmonic"), segmentation.get("mode")));
    Map<String, Object> options = (Map<String, Object>) report.get("options");
    if (options != null) {
      md.append("Options: ");
      options.forEach((k, v) -> md.append('`').append(k).append(": ").append(v).append("` "));
      md.append("\n\n");
    }
    Map<String, Object> rescoring = (Map<String, Object>) report.get("rescoring");
    List<Map<String, Object>> rescored = rescoring == null ? List.of() : (List<Map<String, Object>>) rescoring.get("trials");
    if (!rescored.isEmpty()) {
      md.append("## Final re-scoring (the ").append(rescoring.get("top"))
          .append(" best trials on the whole validation split; the lowest full-validation cost is exported)\n\n")
          .append("| trial | search cost | full-validation cost |\n|---|---|---|\n");
      for (Map<String, Object> r : rescored) {
        boolean chosen = r.get("trial").equals(rescoring.get("chosen"));
        md.append("| ").append(chosen ? "**" + r.get("trial") + "**" : r.get("trial")).append(" | ").append(number(r.get("search_cost")))
            .append(" | ").append(r.get("error") != null ? "failed: " + r.get("error") : number(r.get("full_validation_cost"))).append(" |\n");
      }
      md.append("\n");
    }

    md.append("## Exported plan per block\n\n| block | rank | parameters | technique | weights | technique parameters | tensors |\n|---|---|---|---|---|---|---|\n");
    Map<String, Map<String, Object>> plan = (Map<String, Map<String, Object>>) best.get("plan");
    for (Map<String, Object> block : (List<Map<String, Object>>) segmentation.get("blocks")) {
      Map<String, Object> choice = plan.get((String) block.get("name"));
      md.append("| ").append(block.get("name")).append(" | ").append(block.get("rank")).append(" | ").append(block.get("parameters"))
          .append(" | ").append(choice.get("technique")).append(" | ").append(weights(choice.get("weights")))
          .append(" | ").append(techniqueParameters(choice.get("parameters")))
          .append(" | `").append(block.get("pattern")).append("` |\n");
    }

    Map<String, Object> validation = (Map<String, Object>) report.get("validation");
    md.append("\n## Validation losses (").append(validation.get("samples_per_task")).append(" samples per task)\n\n")
        .append("| task | source loss | merged loss | AP |\n|---|---|---|---|\n");
    Map<String, Double> sourceLoss = (Map<String, Double>) validation.get("source_loss");
    Map<String, Double> mergedLoss = (Map<String, Double>) validation.get("merged_loss");
    Map<String, Double> ap = (Map<String, Double>) validation.get("approximate_preservation");
    for (String task : sourceLoss.keySet()) {
      md.append("| ").append(task).append(" | ").append(number(sourceLoss.get(task))).append(" | ")
          .append(number(mergedLoss.get(task))).append(" | ").append(number(ap.get(task))).append(" |\n");
    }

    Map<String, Object> test = (Map<String, Object>) report.get("test");
    Map<String, Object> sources = (Map<String, Object>) test.get("sources");
    Map<String, Object> merged = (Map<String, Object>) test.get("merged");
    md.append("\n## Test metrics\n\nSource S_t is the model fine-tuned for task t. PR_t = mean over metrics of M/S_t x 100 % ")
        .append("(S_t/M for bits_per_byte, where lower is better); PD = max PR - min PR.\n\n")
        .append("| model | task | loss | metrics |\n|---|---|---|---|\n");
    sources.forEach((source, byTask) -> rows(md, "source " + source, (Map<String, Object>) byTask));
    rows(md, "merged", merged);

    boolean baselines = !((List<?>) report.get("fixed")).isEmpty();
    md.append(baselines ? "\n## Against the fixed techniques (whole model, equal weights, density 0.65, other parameters at their declared start)\n\n"
        : "\n## Preservation (test split)\n\n")
        .append("| merge | ");
    Map<String, Double> rates = (Map<String, Double>) report.get("preservation_rate");
    rates.keySet().forEach(task -> md.append("PR ").append(task).append(" | "));
    md.append("PD |\n|---|");
    rates.keySet().forEach(task -> md.append("---|"));
    md.append("---|\n| **AutoMerge** | ");
    rates.values().forEach(r -> md.append(percent(r)).append(" | "));
    md.append(percent((Double) report.get("preservation_discrepancy"))).append(" |\n");
    for (Map<String, Object> fixed : (List<Map<String, Object>>) report.get("fixed")) {
      baselineRow(md, String.valueOf(fixed.get("technique")), fixed);
    }
    if (report.containsKey("base")) {
      baselineRow(md, "base model (no merge)", (Map<String, Object>) report.get("base"));
    }

    if (report.containsKey("pareto_front")) {
      pareto(md, (Map<String, Object>) report.get("pareto"), (List<Map<String, Object>>) report.get("pareto_front"));
    }

    Map<String, Object> trials = (Map<String, Object>) report.get("trials");
    md.append("\n## Trials\n\n").append(trials.get("total")).append(" trials, ").append(trials.get("completed"))
        .append(" completed, ").append(trials.get("failed")).append(" failed; search wall time ")
        .append(String.format(Locale.ROOT, "%.1f s", ((Number) report.get("wall_millis")).longValue() / 1000.0)).append(".\n");
    for (Map<String, Object> failure : (List<Map<String, Object>>) trials.get("failures")) {
      md.append("- trial ").append(failure.get("trial")).append(": ").append(failure.get("error")).append("\n");
    }
    Map<String, Object> model = (Map<String, Object>) report.get("model");
    md.append("\nMerged model: `model/` (sha256 of its safetensors ").append(model.get("sha256"))
        .append("); reproduce it with `automerge merge recipe.yaml DIR`.\n");
    return md.toString();
  }

  /** One baseline's row: its PR per task and PD. */
  @SuppressWarnings("unchecked")
  private static void baselineRow(StringBuilder md, String name, Map<String, Object> baseline) {
    md.append("| ").append(name).append(" | ");
    ((Map<String, Double>) baseline.get("preservation_rate")).values().forEach(r -> md.append(percent(r)).append(" | "));
    md.append(percent((Double) baseline.get("preservation_discrepancy"))).append(" |\n");
  }

  /** The front members scored on test, the exported one in bold, and the plot. */
  @SuppressWarnings("unchecked")
  private static void pareto(StringBuilder md, Map<String, Object> pareto, List<Map<String, Object>> members) {
    md.append("\n## Pareto front (objective `pareto`)\n\n")
        .append("The objectives are ").append(pareto.get("objectives")).append("; each proposal minimized a random ")
        .append("augmented-Chebyshev scalarization of them (ParEGO). The validation front has ").append(pareto.get("front_size"))
        .append(" members; ").append(pareto.get("scored")).append(" are scored on test below. `select: ")
        .append(pareto.get("select")).append("` picked trial ").append(pareto.get("exported_trial")).append(" for export.\n\n");
    Map<String, Double> first = (Map<String, Double>) members.get(0).get("preservation_rate");
    md.append("| trial | ");
    first.keySet().forEach(task -> md.append("PR ").append(task).append(" | "));
    md.append("mean PR | PD | ");
    first.keySet().forEach(task -> md.append("val cost ").append(task).append(" | "));
    md.append("techniques |\n|---|");
    first.keySet().forEach(task -> md.append("---|---|"));
    md.append("---|---|---|\n");
    for (Map<String, Object> m : members) {
      Object trial = m.get("trial");
      md.append("| ").append(Boolean.TRUE.equals(m.get("exported")) ? "**" + trial + "** (exported)" : trial).append(" | ");
      ((Map<String, Double>) m.get("preservation_rate")).values().forEach(r -> md.append(percent(r)).append(" | "));
      md.append(percent((Double) m.get("mean_preservation_rate"))).append(" | ")
          .append(percent((Double) m.get("preservation_discrepancy"))).append(" | ");
      ((Map<String, Double>) m.get("validation_task_costs")).values().forEach(c -> md.append(number(c)).append(" | "));
      md.append(((Map<String, Map<String, Object>>) m.get("plan")).values().stream().map(c -> String.valueOf(c.get("technique")))
          .distinct().toList()).append(" |\n");
    }
    md.append("\n![Pareto front: test PR per task of each member](").append(pareto.get("plot")).append(")\n");
  }

  /** "density 0.7, lambda 1.2" from a block's {@code parameters}; "-" for none. */
  @SuppressWarnings("unchecked")
  private static String techniqueParameters(Object parameters) {
    Map<String, Object> values = parameters == null ? Map.of() : (Map<String, Object>) parameters;
    if (values.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    values.forEach((name, value) -> out.append(out.length() == 0 ? "" : ", ").append(name).append(' ').append(number(value)));
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void rows(StringBuilder md, String model, Map<String, Object> byTask) {
    byTask.forEach((task, result) -> {
      Map<String, Object> r = (Map<String, Object>) result;
      StringBuilder metrics = new StringBuilder();
      r.forEach((k, v) -> {
        if (!k.equals("loss") && !k.equals("samples")) {
          metrics.append(k).append(' ').append(number(v)).append(' ');
        }
      });
      md.append("| ").append(model).append(" | ").append(task).append(" | ").append(number(r.get("loss")))
          .append(" | ").append(metrics.toString().strip()).append(" |\n");
    });
  }

  private static String weights(Object weights) {
    if (weights == null) {
      return "-"; // the technique takes none
    }
    return ((List<?>) weights).stream().map(ReportMarkdown::number).toList().toString();
  }

  private static String number(Object value) {
    return value instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "-";
  }

  private static String percent(Double value) {
    return String.format(Locale.ROOT, "%.1f %%", value);
  }
}
