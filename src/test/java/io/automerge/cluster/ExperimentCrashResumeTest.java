package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `automerge experiment` killed with SIGKILL after its first run finished continues when run
 * again: finished runs are found in the journal and not redone, the interrupted one resumes, and
 * together the two processes ran exactly each run's budget. Real CLI JVMs, real local Cassandra 5
 * (same setup and tiny pair as {@link CrashResumeTest}).
 */
class ExperimentCrashResumeTest {
  private static final int TRIALS = 6;
  private static final String ID = "exp-resume-" + System.currentTimeMillis();
  private static final String[] ARGS = {"--rq", "1,3", "--seeds", "2", "--test-samples", "200"};

  @TempDir static Path dir;
  private static TestCassandra cassandra;
  private static Path specFile;

  @BeforeAll
  static void startCassandraAndTrainTinyPair() throws IOException {
    cassandra = TestCassandra.get();
    specFile = TestCassandra.writeSpec(dir, ID, TRIALS);
  }

  @Test
  void killedExperimentContinuesWithoutRedoingFinishedRuns() throws Exception {
    // Run 1: SIGKILL once the first run (every RQ1 technique) has finished and the next has begun.
    int rq1 = io.automerge.experiment.FixedPlans.rq1(2).size();
    Process first = experiment();
    List<JsonNode> firstLines = new ArrayList<>();
    try (BufferedReader out = TestCassandra.stdout(first)) {
      String line = out.readLine();
      assertThat(line).as("first run finished before the kill").isNotNull();
      firstLines.add(Json.mapper().readTree(line));
      Thread.sleep(8000); // let automerge-s0 load and run some trials
      first.destroyForcibly();
    }
    first.waitFor(30, TimeUnit.SECONDS);
    assertThat(firstLines.get(0).path("run").asText()).isEqualTo("fixed");
    assertThat(firstLines.get(0).path("completed_now").asInt()).isEqualTo(rq1);
    JsonNode fixedBefore = status(ID + ".x-rq1-" + rq1);
    assertThat(fixedBefore.path("state").asText()).isEqualTo("completed");

    // Run 2: the same command finishes the experiment.
    Process second = experiment();
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    try (BufferedReader out = TestCassandra.stdout(second)) {
      for (String line; (line = out.readLine()) != null; ) {
        JsonNode run = Json.mapper().readTree(line);
        runs.put(run.path("run").asText(), run);
      }
    }
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(TestCassandra.lastStderr(dir)).isEqualTo(0);
    assertThat(runs).containsOnlyKeys("fixed", "automerge-s0", "automerge-s1");

    // The finished run was found, not redone: same trials, same costs, nothing new.
    assertThat(runs.get("fixed").path("completed_before").asInt()).isEqualTo(rq1);
    assertThat(runs.get("fixed").path("completed_now").asInt()).isZero();
    JsonNode fixedAfter = status(ID + ".x-rq1-" + rq1);
    assertThat(fixedAfter.path("trial_list")).isEqualTo(fixedBefore.path("trial_list"));
    // Every run did exactly its budget over both processes.
    for (String run : List.of("automerge-s0", "automerge-s1")) {
      JsonNode r = runs.get(run);
      assertThat(r.path("completed_before").asInt() + r.path("completed_now").asInt()).as(run).isEqualTo(TRIALS);
      assertThat(status(r.path("search").asText()).path("trials").path("completed").asInt()).as(run).isEqualTo(TRIALS);
    }

    Path report = dir.resolve("out-experiment/report.json");
    JsonNode json = Json.mapper().readTree(report.toFile());
    List<String> methods = new ArrayList<>(io.automerge.search.SearchSpec.techniquesFor(2)); // every technique
    methods.addAll(List.of(io.automerge.experiment.ExperimentResults.BASE_MODEL, "grid_best", "automerge"));
    assertThat(json.path("methods").fieldNames()).toIterable().containsExactlyElementsOf(methods);
    assertThat(json.path("methods").path("automerge").path("seeds")).hasSize(2);
    assertThat(Files.exists(dir.resolve("out-experiment/pr-bars.png"))).isTrue();
  }

  private static Process experiment() throws IOException {
    List<String> args = new ArrayList<>(List.of("experiment", specFile.toString()));
    args.addAll(List.of(ARGS));
    return automerge(args.toArray(String[]::new));
  }

  private static JsonNode status(String id) throws Exception {
    Process status = automerge("status", id, "--trials");
    JsonNode json = Json.mapper().readTree(status.getInputStream());
    assertThat(status.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return json;
  }

  private static Process automerge(String... args) throws IOException {
    return cassandra.automerge(dir, args);
  }
}
