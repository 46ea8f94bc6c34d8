package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the product: a search killed with SIGKILL resumes from the Cassandra journal
 * when the same command runs again, losing no finished trial and running none twice. Runs the
 * real CLI in separate JVMs against a real local Cassandra 5 node that this test starts and stops.
 */
class CrashResumeTest {
  private static final int TRIALS = 14;
  private static final int KILL_AFTER = 5;
  /** The node's data outlives a test run: a fresh id per run. */
  private static final String ID = "crash-resume-" + System.currentTimeMillis();

  @TempDir static Path dir;
  private static TestCassandra cassandra;
  private static Path specFile;

  @BeforeAll
  static void startCassandraAndTrainTinyPair() throws IOException {
    cassandra = TestCassandra.get();
    specFile = TestCassandra.writeSpec(dir, ID, TRIALS);
  }

  @Test
  void killedSearchResumesWithEveryFinishedTrialKeptAndNoneRunTwice() throws Exception {
    // Run 1: kill -9 once KILL_AFTER trials are completed.
    Process first = automerge("search", specFile.toString(), "--events", "jsonl");
    Map<Integer, JsonNode> beforeKill = new LinkedHashMap<>();
    try (BufferedReader out = TestCassandra.stdout(first)) {
      for (String line; (line = out.readLine()) != null; ) {
        JsonNode event = Json.mapper().readTree(line);
        if (event.path("type").asText().equals("TrialCompleted")) {
          beforeKill.put(event.get("trial").asInt(), event);
          if (beforeKill.size() == KILL_AFTER) {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the journal
            break;
          }
        }
      }
    }
    first.waitFor(30, TimeUnit.SECONDS);
    assertThat(beforeKill).hasSize(KILL_AFTER);
    // The journal may hold a few more than were printed when the kill landed: it is the truth.
    Map<Integer, JsonNode> journalBefore = completedTrials(statusWithTrials());
    assertThat(journalBefore.size()).isBetween(KILL_AFTER, TRIALS - 1);
    beforeKill.forEach((id, event) -> assertSameResult(journalBefore.get(id), event));

    // Run 2: the same command finishes the budget.
    Process second = automerge("search", specFile.toString(), "--events", "jsonl");
    List<JsonNode> resumed = events(second);
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(TestCassandra.lastStderr(dir)).isEqualTo(0);
    List<String> types = resumed.stream().map(e -> e.path("type").asText()).toList();
    assertThat(types).contains("SearchCompleted", "ModelExported").doesNotContain("SearchStarted");

    // Nothing finished before the kill ran again; together the runs did exactly the budget.
    var ids = new HashSet<>(journalBefore.keySet());
    resumed.stream().filter(e -> e.path("type").asText().equals("TrialCompleted")).forEach(e ->
        assertThat(ids.add(e.get("trial").asInt())).as("trial %s completed once", e.get("trial")).isTrue());
    assertThat(ids).hasSize(TRIALS);

    JsonNode after = statusWithTrials();
    assertThat(after.path("state").asText()).isEqualTo("completed");
    assertThat(after.path("trials").path("completed").asInt()).isEqualTo(TRIALS);
    Map<Integer, JsonNode> journalAfter = completedTrials(after);
    assertThat(journalAfter.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    journalBefore.forEach((id, trial) -> assertSameResult(journalAfter.get(id), trial));
    assertThat(Files.exists(dir.resolve("out/recipe.yaml"))).isTrue();
  }

  @Test
  void killedBetweenRescoresResumesWithTheRecordedRescoresKept() throws Exception {
    String id = ID + "-rescore";
    Path rescoreDir = dir.resolve("rescore");
    Path spec = TestCassandra.writeSpec(rescoreDir, id, 6, "rescore: 3\n");
    Process first = automerge("search", spec.toString(), "--events", "jsonl");
    int printedBeforeKill = 0;
    try (BufferedReader out = TestCassandra.stdout(first)) {
      for (String line; (line = out.readLine()) != null; ) {
        if (Json.mapper().readTree(line).path("type").asText().equals("TrialRescored")) {
          printedBeforeKill++;
          first.destroyForcibly(); // SIGKILL after the first re-score is in the journal
          break;
        }
      }
    }
    first.waitFor(30, TimeUnit.SECONDS);
    assertThat(printedBeforeKill).isEqualTo(1);
    JsonNode before = status(id);
    assertThat(before.path("state").asText()).isEqualTo("interrupted"); // killed: no live process runs it
    Map<Integer, Double> recorded = new LinkedHashMap<>();
    before.path("rescoring").path("rescored").forEach(r -> recorded.put(r.get("trial").asInt(), r.get("full_validation_cost").asDouble()));
    assertThat(recorded.size()).isBetween(1, 2);

    Process second = automerge("search", spec.toString(), "--events", "jsonl");
    List<JsonNode> resumed = events(second);
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(TestCassandra.lastStderr(dir)).isEqualTo(0);
    // A re-score in the journal is not redone; the rest are done once.
    List<Integer> rescoredNow = resumed.stream().filter(e -> e.path("type").asText().equals("TrialRescored"))
        .map(e -> e.get("trial").asInt()).toList();
    assertThat(rescoredNow).doesNotContainAnyElementsOf(recorded.keySet()).doesNotHaveDuplicates();
    assertThat(rescoredNow.size() + recorded.size()).isEqualTo(3);

    JsonNode after = status(id);
    assertThat(after.path("state").asText()).isEqualTo("completed");
    Map<Integer, Double> full = new LinkedHashMap<>();
    after.path("rescoring").path("rescored").forEach(r -> full.put(r.get("trial").asInt(), r.get("full_validation_cost").asDouble()));
    recorded.forEach((trial, cost) -> assertThat(full.get(trial)).isEqualTo(cost));
    int lowest = full.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(after.path("rescoring").path("chosen").asInt()).isEqualTo(lowest);
    JsonNode report = Json.mapper().readTree(rescoreDir.resolve("out/report.json").toFile());
    assertThat(report.path("best").path("trial").asInt()).isEqualTo(lowest);
    assertThat(report.path("rescoring").path("trials")).hasSize(3);
  }

  /** Every event line a run prints, until it exits. */
  private static List<JsonNode> events(Process run) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    try (BufferedReader out = TestCassandra.stdout(run)) {
      for (String line; (line = out.readLine()) != null; ) {
        events.add(Json.mapper().readTree(line));
      }
    }
    return events;
  }

  private static JsonNode statusWithTrials() throws Exception {
    return status(ID);
  }

  private static JsonNode status(String id) throws Exception {
    Process status = automerge("status", id, "--trials");
    JsonNode json = Json.mapper().readTree(status.getInputStream());
    assertThat(status.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return json;
  }

  private static Map<Integer, JsonNode> completedTrials(JsonNode status) {
    Map<Integer, JsonNode> completed = new LinkedHashMap<>();
    status.path("trial_list").forEach(t -> {
      if (t.path("outcome").asText().equals("completed")) {
        completed.put(t.get("trial").asInt(), t);
      }
    });
    return completed;
  }

  private static void assertSameResult(JsonNode actual, JsonNode expected) {
    assertThat(actual).as("trial %s", expected.get("trial")).isNotNull();
    assertThat(actual.get("cost").asDouble()).isEqualTo(expected.get("cost").asDouble());
    assertThat(actual.get("plan")).isEqualTo(expected.get("plan"));
  }

  private static Process automerge(String... args) throws IOException {
    return cassandra.automerge(dir, args);
  }
}
