package io.automerge.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentResultsTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void tablesUseTheExportsAndTheMedianOverSeeds() throws Exception {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(4), Set.of("1", "2", "3", "random"), 3);
    List<RunOutcome> outcomes = outcomes(plan);
    Map<String, Map<String, Double>> gridPr = new java.util.HashMap<>();
    for (FixedPlan p : FixedPlans.rq2(2)) {
      gridPr.put(p.label(), Map.of(ExperimentFixtures.TASKS.get(0), 100 * p.weight(), ExperimentFixtures.TASKS.get(1), 100 - 100 * p.weight()));
    }
    Map<String, Object> report = ExperimentResults.build(plan, outcomes, 0, gridPr, 1000);

    Map<String, Map<String, Object>> methods = (Map<String, Map<String, Object>>) report.get("methods");
    assertThat(methods).containsOnlyKeys("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties", "grid_best", "automerge", "random");
    assertThat(methods.get("ties").get("mean_pr")).isEqualTo(75.0);
    assertThat(methods.get("ties").get("pd")).isEqualTo(10.0);
    assertThat(methods.get("ties").get("evaluations")).isEqualTo(1L);
    // automerge seeds have mean PR 90, 96, 93: the median is 93, the range 90–96.
    Map<String, Object> automerge = methods.get("automerge");
    assertThat(automerge.get("mean_pr")).isEqualTo(93.0);
    assertThat(((Map<String, Object>) automerge.get("spread")).get("mean_pr")).isEqualTo(List.of(90.0, 96.0));
    assertThat(automerge.get("evaluations")).isEqualTo(4L);
    // The fixed plans' best cost is 1.2 (reached at plan 3); seed 0 reaches it at trial 2, seed 2 never.
    List<Map<String, Object>> seeds = (List<Map<String, Object>>) automerge.get("seeds");
    assertThat(seeds).extracting(s -> s.get("evaluations_to_grid_best")).containsExactly(2, 4, null);
    assertThat(((Map<String, Object>) report.get("convergence")).get("grid_best_cost")).isEqualTo(1.2);
    List<Map<String, Object>> points = (List<Map<String, Object>>) ((Map<String, Object>) report.get("rq2")).get("points");
    assertThat(points).hasSize(130);
    // AP = L(S)/L(M) = 0.2 / (0.2 cost) for the first task
    Map<String, Object> first = points.get(0);
    assertThat(((Map<String, Double>) first.get("ap")).get(ExperimentFixtures.TASKS.get(0)))
        .isCloseTo(100.0 / (Double) first.get("cost"), org.assertj.core.data.Offset.offset(1e-9));
    // The test PR of each grid point is kept beside its validation AP (linear at w = 0 first).
    assertThat(first.get("pr")).isEqualTo(Map.of(ExperimentFixtures.TASKS.get(0), 0.0, ExperimentFixtures.TASKS.get(1), 100.0));

    List<String> figures = ExperimentCharts.write(report, dir);
    assertThat(figures).contains("pr-bars.png", "convergence.png", "rq2-weight.png", "rq2-ties-task1.png", "rq2-dare_ties-task2.png");
    for (String figure : figures) {
      BufferedImage image = ImageIO.read(dir.resolve(figure).toFile());
      assertThat(image).as(figure).isNotNull();
      assertThat(image.getWidth()).isGreaterThan(100);
    }
    String md = ExperimentMarkdown.render(report, figures);
    assertThat(md).contains("| **automerge** | ", "93.0 % [90.0–96.0]", "![pr-bars.png](pr-bars.png)", "| automerge | 2, 4, never |", "PR_t on the first 1000 test examples");
    assertThat(Files.size(dir.resolve("pr-bars.png"))).isGreaterThan(1000);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theUnmergedBaseModelIsARowOfItsOwnWhereTheFixedRunScoredIt() {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(4), Set.of("1", "3"), 3);
    List<RunOutcome> outcomes = outcomes(plan);
    Map<String, Object> base = ExperimentFixtures.fixedEntry("unused", 88, 92);
    base.remove("technique");
    outcomes.stream().filter(o -> o.run().method().equals(ExperimentPlan.FIXED)).forEach(o -> Reports.report(o).put("base", base));
    Map<String, Object> report = ExperimentResults.build(plan, outcomes, 0, null, 0);

    Map<String, Map<String, Object>> methods = (Map<String, Map<String, Object>>) report.get("methods");
    assertThat(methods).containsKey(ExperimentResults.BASE_MODEL);
    assertThat(methods.get(ExperimentResults.BASE_MODEL).get("mean_pr")).isEqualTo(90.0);
    assertThat(methods.get(ExperimentResults.BASE_MODEL).get("pd")).isEqualTo(4.0);
    assertThat(ExperimentMarkdown.render(report, List.of())).containsPattern("\\| base_model \\| (88|92)\\.0 % \\| (92|88)\\.0 % \\| 90\\.0 % \\| 4\\.0 % \\|");
    // without it (an older export, or baselines: false) there is no such row
    assertThat((Map<String, Object>) ExperimentResults.build(plan, outcomes(plan), 0, null, 0).get("methods"))
        .doesNotContainKey(ExperimentResults.BASE_MODEL);
  }

  private static List<RunOutcome> outcomes(ExperimentPlan plan) {
    List<RunOutcome> outcomes = new ArrayList<>();
    double[][] amCosts = {{1.5, 1.1, 1.0, 1.05}, {1.6, 1.4, 1.3, 1.15}, {1.9, 1.8, 1.7, 1.6}};
    double[][] amPr = {{95, 85}, {97, 95}, {90, 96}};
    for (ExperimentRun run : plan.runs()) {
      if (run.method().equals(ExperimentPlan.FIXED)) {
        double[] costs = new double[run.spec().trials()];
        for (int i = 0; i < costs.length; i++) {
          costs[i] = i == 2 ? 1.2 : 1.3 + i / 100.0;
        }
        List<Map<String, Object>> fixed = List.of(
            ExperimentFixtures.fixedEntry("linear", 60, 80), ExperimentFixtures.fixedEntry("task_arithmetic", 70, 72),
            ExperimentFixtures.fixedEntry("ties", 70, 80), ExperimentFixtures.fixedEntry("dare_linear", 50, 90),
            ExperimentFixtures.fixedEntry("dare_ties", 65, 66));
        outcomes.add(ExperimentFixtures.finished(run, costs, new double[] {80, 82}, fixed));
      } else {
        int s = run.seedIndex();
        double[] costs = run.method().equals(ExperimentPlan.AUTOMERGE) ? amCosts[s] : new double[] {1.7, 1.6, 1.5, 1.4};
        outcomes.add(ExperimentFixtures.finished(run, costs, amPr[s], List.of()));
      }
    }
    return outcomes;
  }
}
