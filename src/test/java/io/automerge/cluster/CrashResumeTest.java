package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.eval.TinyCctPair;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
  private static LocalCassandra cassandra;
  private static Map<String, String> env;
  private static Path specFile;

  @BeforeAll
  static void startCassandraAndTrainTinyPair() throws IOException {
    int cql = freePort();
    int storage = freePort();
    Path data = Path.of("target", "it-cassandra").toAbsolutePath();
    env = Map.of(
        "AUTOMERGE_CASSANDRA_DIR", data.toString(),
        "AUTOMERGE_CASSANDRA_PORT", Integer.toString(cql),
        "AUTOMERGE_CASSANDRA_STORAGE_PORT", Integer.toString(storage));
    cassandra = new LocalCassandra(new CassandraSettings(List.of(), "datacenter1", Duration.ofSeconds(60),
        data, cql, storage, "512m", Duration.ofSeconds(180), ""));
    cassandra.stop(); // a node left over from an aborted run of this test
    cassandra.ensureRunning();
    specFile = writeSpec(dir, ID, TRIALS);
  }

  @AfterAll
  static void stopCassandra() {
    if (cassandra != null) {
      cassandra.stop();
    }
  }

  @Test
  void killedSearchResumesWithEveryFinishedTrialKeptAndNoneRunTwice() throws Exception {
    // Run 1: kill -9 once KILL_AFTER trials are completed.
    Process first = automerge("search", specFile.toString(), "--events", "jsonl");
    Map<Integer, JsonNode> beforeKill = new LinkedHashMap<>();
    try (BufferedReader out = reader(first)) {
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
    List<JsonNode> resumed = new ArrayList<>();
    try (BufferedReader out = reader(second)) {
      for (String line; (line = out.readLine()) != null; ) {
        resumed.add(Json.mapper().readTree(line));
      }
    }
    assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(stderrOf(second)).isEqualTo(0);
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

  private static JsonNode statusWithTrials() throws Exception {
    Process status = automerge("status", ID, "--trials");
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
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "io.automerge.cli.AutoMerge"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String stderrOf(Process p) {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("stderr-")).sorted()
          .reduce((a, b) -> b).map(f -> {
            try {
              return Files.readString(f);
            } catch (IOException e) {
              return "";
            }
          }).orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Trains a tiny CCT pair into {@code dir} and writes a search spec for it. */
  static Path writeSpec(Path dir, String id, int trials) throws IOException {
    TinyCctPair pair = TinyCctPair.shared();
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, """
        id: %s
        base_model: %s
        models:
          - {path: %s, task: "fashion-mnist:tops"}
          - {path: %s, task: "fashion-mnist:others"}
        segmentation: shape
        trials: %d
        initial: 4
        validation: {samples_per_task: 200}
        workers: 1
        seed: 3
        output: out
        """.formatted(id, pair.base(), pair.tops(), pair.others(), trials));
    return spec;
  }
}
