package io.automerge.experiment;

import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Specs and finished search states built from real events, without running a model. */
final class ExperimentFixtures {
  static final List<String> TASKS = List.of("fashion-mnist:tops", "fashion-mnist:others");

  private ExperimentFixtures() {}

  static SearchSpec spec(int trials) {
    return new SearchSpec("pair", "/m/base", List.of(new SearchSpec.SourceModel("/m/a", TASKS.get(0)),
        new SearchSpec.SourceModel("/m/b", TASKS.get(1))), "shape", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0),
        trials, 4, new SearchSpec.Validation(100), "1", 7, "/m/out");
  }

  static Segmentation segmentation(String... blocks) {
    return new Segmentation("test", java.util.Arrays.stream(blocks)
        .map(b -> new Segment(b, 3, 10, List.of(b), List.of(b + ".weight"))).toList());
  }

  /**
   * A completed, exported search whose trial i has cost {@code costs[i]} and losses derived from it;
   * its export report says PR {@code pr} per task.
   */
  static RunOutcome finished(ExperimentRun run, double[] costs, double[] pr, List<Map<String, Object>> fixed) {
    String id = run.spec().id();
    SearchState s = SearchState.empty(id)
        .apply(new SearchEvent.SearchStarted(id, run.spec(), run.strategy().proposals(), 0))
        .apply(new SearchEvent.SegmentationDecided(id, segmentation("all")));
    int best = 1;
    for (int i = 0; i < costs.length; i++) {
      TrialPlan plan = new TrialPlan(Map.of("all", new BlockChoice("linear", List.of(0.5, 0.5), null)));
      s = s.apply(new SearchEvent.TrialProposed(id, i + 1, plan));
      Map<String, Double> losses = Map.of(TASKS.get(0), 0.2 * costs[i], TASKS.get(1), 0.4 * costs[i]);
      s = s.apply(new SearchEvent.TrialCompleted(id, i + 1, plan, losses, null, costs[i], "w", 5, null, null));
      best = costs[i] < costs[best - 1] ? i + 1 : best;
    }
    s = s.apply(new SearchEvent.SearchCompleted(id, best));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("preservation_rate", Map.of(TASKS.get(0), pr[0], TASKS.get(1), pr[1]));
    report.put("preservation_discrepancy", Math.abs(pr[0] - pr[1]));
    report.put("best", Map.of("cost", costs[best - 1], "plan", Map.of("all", Map.of("technique", "linear"))));
    report.put("validation", Map.of("source_loss", Map.of(TASKS.get(0), 0.2, TASKS.get(1), 0.4)));
    report.put("test", Map.of("sources", Map.of(TASKS.get(0), Map.of(TASKS.get(0), Map.of("loss", 0.3, "accuracy", 0.9))),
        "merged", Map.of(TASKS.get(0), Map.of("loss", 0.4, "accuracy", 0.8))));
    report.put("fixed", fixed);
    report.put("wall_millis", 10);
    return new RunOutcome(run, s.apply(new SearchEvent.ModelExported(id, "/m/out/" + run.name(), "sha", io.automerge.export.ExportReport.EMPTY)), 0, report);
  }

  static Map<String, Object> fixedEntry(String technique, double pr0, double pr1) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("technique", technique);
    e.put("test", Map.of(TASKS.get(0), Map.of("loss", 0.5, "accuracy", 0.7)));
    e.put("preservation_rate", Map.of(TASKS.get(0), pr0, TASKS.get(1), pr1));
    e.put("preservation_discrepancy", Math.abs(pr0 - pr1));
    return e;
  }
}
