package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.search.Fidelity;
import io.automerge.search.FidelityRung;
import io.automerge.search.HyperbandSchedule;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code fidelity:} search killed with SIGKILL in the middle of a Hyperband bracket resumes from
 * the Cassandra journal exactly where the schedule stood: every evaluation, before and after the
 * kill, is the one the schedule gives for the results before it, and none ran twice. Real CLI JVMs,
 * real local Cassandra (shared with the other persistence tests of the JVM).
 */
class FidelityCrashResumeTest {
  private static final String ID = "fidelity-resume-" + System.currentTimeMillis();
  private static final int R = 200;
  private static final int TRIALS = 4; // 800 samples per task: bracket 0 (9 → 3 → 1) and 3 of bracket 1
  private static final Fidelity FIDELITY = new Fidelity(20, 3, null);
  /** Rung 0 of bracket 0 has 9 evaluations: the 10th completed is a promotion to rung 1, mid-bracket. */
  private static final int KILL_AFTER = 10;

  @TempDir static Path dir;

  @Test
  void killedMidBracketResumesWhereTheScheduleStood() throws Exception {
    TestCassandra cassandra = TestCassandra.get();
    Path spec = TestCassandra.writeSpec(dir, ID, TRIALS,
        "fidelity: {min_samples: 20, eta: 3}\nrescore: 0\nreport: {baselines: false}\n");
    Set<Integer> completedBefore = new HashSet<>();
    Process first = cassandra.automerge(dir, "search", spec.toString(), "--events", "jsonl");
    try (BufferedReader out = TestCassandra.stdout(first)) {
      for (String line; (line = out.readLine()) != null; ) {
        JsonNode event = Json.mapper().readTree(line);
        if (event.path("type").asText().equals("TrialCompleted") && completedBefore.add(event.get("trial").asInt())
            && completedBefore.size() == KILL_AFTER) {
          first.destroyForcibly(); // SIGKILL inside bracket 0's rung 1
          break;
        }
      }
    }
    first.waitFor(30, TimeUnit.SECONDS);
    assertThat(completedBefore).hasSize(KILL_AFTER);

    Process second = cassandra.automerge(dir, "search", spec.toString(), "--events", "jsonl");
    List<JsonNode> resumed = new ArrayList<>();
    try (BufferedReader out = TestCassandra.stdout(second)) {
      for (String line; (line = out.readLine()) != null; ) {
        resumed.add(Json.mapper().readTree(line));
      }
    }
    assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(TestCassandra.lastStderr(dir)).isEqualTo(0);
    assertThat(resumed.stream().map(e -> e.path("type").asText())).contains("ModelExported").doesNotContain("SearchStarted");
    resumed.stream().filter(e -> e.path("type").asText().equals("TrialCompleted"))
        .forEach(e -> assertThat(completedBefore).as("trial %s completed once", e.get("trial")).doesNotContain(e.get("trial").asInt()));

    Process status = cassandra.automerge(dir, "status", ID, "--trials");
    JsonNode after = Json.mapper().readTree(status.getInputStream());
    assertThat(status.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(after.path("state").asText()).isEqualTo("completed");
    // Replay the schedule on the recorded costs: each evaluation is the one it gives at that point.
    List<HyperbandSchedule.Evaluation> so = new ArrayList<>();
    long samples = 0;
    for (JsonNode t : after.path("trial_list")) {
      assertThat(t.path("outcome").asText()).isEqualTo("completed");
      FidelityRung rung = Json.mapper().treeToValue(t.get("fidelity"), FidelityRung.class);
      HyperbandSchedule.Next next = HyperbandSchedule.next(FIDELITY, R, (long) TRIALS * R, so);
      int trial = t.get("trial").asInt();
      FidelityRung expected = next instanceof HyperbandSchedule.Start s ? new FidelityRung(s.bracket(), s.rung(), s.samples(), trial)
          : next instanceof HyperbandSchedule.Promote p ? new FidelityRung(p.bracket(), p.rung(), p.samples(), p.config()) : null;
      assertThat(rung).as("trial %d (schedule: %s)", trial, next).isEqualTo(expected);
      so.add(new HyperbandSchedule.Evaluation(trial, rung, HyperbandSchedule.Status.COMPLETED, t.get("cost").asDouble()));
      samples += t.get("samples").asLong();
    }
    assertThat(HyperbandSchedule.next(FIDELITY, R, (long) TRIALS * R, so)).isInstanceOf(HyperbandSchedule.Done.class);
    assertThat(so).hasSize(16).anyMatch(e -> e.rung().rung() == 2);
    assertThat(after.path("trials").path("evaluated_samples").asLong()).isEqualTo(samples);
    JsonNode report = Json.mapper().readTree(dir.resolve("out/report.json").toFile());
    assertThat(report.path("trials").path("evaluated_samples").asLong()).isEqualTo(samples);
    assertThat(report.path("best").path("trial").asInt()).isIn(so.stream().filter(e -> e.rung().samples() == R)
        .map(HyperbandSchedule.Evaluation::trial).toList());
  }
}
