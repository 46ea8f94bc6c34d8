package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.eval.TinyCctPair;
import io.automerge.search.ParetoFront;
import io.automerge.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole {@code objective: pareto} search (the real CLI in its own JVM, the local Cassandra node,
 * real merges of the tiny CCT pair): the report lists the validation front with each member's
 * test PR, the exported member is on it and is the one {@code select} picks, and pareto.png is drawn.
 */
class ParetoSearchTest {
  @TempDir static Path dir;
  private static TestCassandra cassandra;

  @BeforeAll
  static void startCassandra() {
    cassandra = TestCassandra.get();
  }

  @Test
  void aParetoSearchReportsItsFrontScoredOnTestAndPlotsIt() throws Exception {
    TinyCctPair pair = TinyCctPair.shared();
    Path spec = Files.writeString(dir.resolve("pareto.yaml"), """
        id: pareto-%d
        base_model: %s
        models:
          - {path: %s, task: "fashion-mnist:tops"}
          - {path: %s, task: "fashion-mnist:others"}
        trials: 14
        initial: 5
        validation: {samples_per_task: 150}
        workers: 1
        seed: 4
        objective: pareto
        rescore: 2
        report: {baselines: false, test_samples: 300}
        output: out
        """.formatted(System.currentTimeMillis(), pair.base(), pair.tops(), pair.others()));
    Process p = cassandra.automerge(dir, "search", spec.toString());
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(TestCassandra.lastStderr(dir)).isZero();
    Path out = dir.resolve("out");
    JsonNode report = Json.mapper().readTree(out.resolve("report.json").toFile());
    System.out.println("pareto search: front " + report.at("/pareto") + ", members " + report.at("/pareto_front"));

    assertThat(report.at("/options/objective").asText()).isEqualTo("pareto");
    assertThat(report.at("/pareto/select").asText()).isEqualTo("metrics");
    JsonNode front = report.get("pareto_front");
    assertThat(front.size()).isPositive().isEqualTo(Math.min(report.at("/pareto/front_size").asInt(), 10));
    int exported = report.at("/best/trial").asInt();
    assertThat(report.at("/pareto/exported_trial").asInt()).isEqualTo(exported);
    List<double[]> costs = new ArrayList<>();
    int exportedMembers = 0;
    for (JsonNode member : front) {
      assertThat(member.get("plan").fieldNames()).toIterable().isNotEmpty();
      for (String task : List.of("fashion-mnist:tops", "fashion-mnist:others")) {
        // a front's extreme member may keep nothing of one task (PR 0), but every PR is a number
        JsonNode pr = member.at("/preservation_rate/" + task.replace("/", "~1"));
        assertThat(pr.isNumber()).as(task).isTrue();
        assertThat(pr.asDouble()).as(task).isNotNegative().isFinite();
      }
      costs.add(new double[] {member.at("/validation_task_costs/fashion-mnist:tops").asDouble(),
          member.at("/validation_task_costs/fashion-mnist:others").asDouble()});
      if (member.get("trial").asInt() == exported) {
        exportedMembers++;
        assertThat(member.get("exported").asBoolean()).isTrue();
        // The exported member's test scores are the exported model's.
        assertThat(member.get("preservation_rate")).isEqualTo(report.get("preservation_rate"));
      }
    }
    assertThat(exportedMembers).as("the exported trial is a front member").isEqualTo(1);
    // Members do not dominate each other on their validation costs.
    assertThat(ParetoFront.of(costs, c -> c)).hasSameSizeAs(costs);
    // The export is the one the select cost (metrics) ranks first among the re-scored front members.
    JsonNode rescored = report.at("/rescoring/trials");
    assertThat(rescored.size()).isBetween(1, 2);
    double bestFull = Double.POSITIVE_INFINITY;
    int bestRescored = -1;
    for (JsonNode r : rescored) {
      if (r.get("full_validation_cost").asDouble() < bestFull) {
        bestFull = r.get("full_validation_cost").asDouble();
        bestRescored = r.get("trial").asInt();
      }
    }
    assertThat(bestRescored).isEqualTo(exported);

    BufferedImage plot = ImageIO.read(out.resolve("pareto.png").toFile());
    assertThat(plot.getWidth()).isEqualTo(900);
    assertThat(out.resolve("report.md")).content().contains("## Pareto front", "](pareto.png)", "**" + exported + "** (exported)");
  }
}
