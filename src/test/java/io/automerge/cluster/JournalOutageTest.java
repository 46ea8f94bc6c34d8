package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing the journal mid-search is a pause, not a crash: the real CLI in its own JVM, against a
 * Cassandra 5 node this test starts for itself (target/it-cassandra-outage, free ports; the shared
 * test node is never touched), stopped or killed while trials run. The search says so in one line,
 * continues when the node is back (restarting it itself on the embedded default), and ends with
 * exactly the budget of trials, each recorded once.
 */
class JournalOutageTest {
  /** Enough that the embedded node's clean stop (~10 s) lands mid-search; tiny trials take well under a second. */
  private static final int EMBEDDED_TRIALS = 60;
  private static final int EXTERNAL_TRIALS = 30;
  /** What happens after the last trial is not under test here. */
  private static final String NO_EXTRAS = "rescore: 0\nreport: {baselines: false}\n";
  private static final String RUN = Long.toString(System.currentTimeMillis());

  @TempDir static Path dir;
  private static LocalCassandra node;
  private static Path nodeDir;
  private static int cql;
  private static int storage;

  @BeforeAll
  static void startOwnNode() throws IOException {
    cql = TestCassandra.freePort();
    storage = TestCassandra.freePort();
    nodeDir = Path.of("target", "it-cassandra-outage").toAbsolutePath();
    node = new LocalCassandra(new CassandraSettings(List.of(), "datacenter1", Duration.ofSeconds(60),
        nodeDir, cql, storage, "512m", Duration.ofSeconds(180), ""));
    node.stop(); // one left over from an aborted run
    node.ensureRunning();
  }

  @AfterAll
  static void stopOwnNode() {
    if (node != null) {
      node.stop(); // whoever started it last (this test or a search that restarted it), it is this test's node
    }
  }

  @Test
  void embeddedNodeStoppedMidSearchIsStartedAgainByTheSearchWhichFinishes() throws Exception {
    Map<String, String> env = TestCassandra.embeddedEnv(nodeDir, cql, storage);
    String id = "outage-embedded-" + RUN;
    Path spec = TestCassandra.writeSpec(dir.resolve("embedded"), id, EMBEDDED_TRIALS, NO_EXTRAS);
    Path logs = Files.createDirectories(dir.resolve("embedded-logs"));

    Process search = TestCassandra.automerge(env, logs, "search", spec.toString(), "--events", "jsonl");
    List<JsonNode> events = readEvents(search, 2, () -> {
      // In use: refused, naming the search. Forced: stopped under the running search.
      Run refused = run(env, "cassandra", "stop");
      assertThat(refused.code()).as(refused.stderr()).isEqualTo(2);
      assertThat(refused.stderr()).contains("search '" + id + "'").contains("--force");
      assertThat(node.status().answering()).isTrue();
      Run forced = run(env, "cassandra", "stop", "--force");
      assertThat(forced.code()).as(forced.stderr()).isEqualTo(0);
      assertThat(forced.stdout()).contains("stopped");
    });
    assertThat(search.waitFor(6, TimeUnit.MINUTES)).isTrue();
    String stderr = TestCassandra.lastStderr(logs);
    assertThat(search.exitValue()).as(stderr).isEqualTo(0);
    assertOneOutageLineAndQuiet(stderr);
    assertThat(stderr).contains("Started local Cassandra"); // the search started the node again itself
    assertEveryTrialOnce(events, EMBEDDED_TRIALS);
    assertCompleted(env, id, EMBEDDED_TRIALS);
  }

  @Test
  void externalNodeKilledMidSearchIsWaitedForAndTheSearchFinishes() throws Exception {
    node.ensureRunning();
    Map<String, String> env = new HashMap<>(TestCassandra.embeddedEnv(nodeDir, cql, storage));
    env.put("AUTOMERGE_CASSANDRA_CONTACT_POINTS", "127.0.0.1:" + cql);
    String id = "outage-external-" + RUN;
    Path spec = TestCassandra.writeSpec(dir.resolve("external"), id, EXTERNAL_TRIALS, NO_EXTRAS);
    Path logs = Files.createDirectories(dir.resolve("external-logs"));

    Process search = TestCassandra.automerge(env, logs, "search", spec.toString(), "--events", "jsonl");
    List<JsonNode> events = readEvents(search, 2, () -> {
      ProcessHandle.of(node.status().pid().orElseThrow()).orElseThrow().destroyForcibly(); // the node crashes
      // An external journal is not ours to start: the search waits, saying so once; then it is back.
      awaitStderr(logs, "journal unreachable at 127.0.0.1:" + cql, Duration.ofMinutes(2));
      node.ensureRunning();
    });
    assertThat(search.waitFor(6, TimeUnit.MINUTES)).isTrue();
    String stderr = TestCassandra.lastStderr(logs);
    assertThat(search.exitValue()).as(stderr).isEqualTo(0);
    assertOneOutageLineAndQuiet(stderr);
    assertThat(stderr).doesNotContain("Started local Cassandra");
    assertEveryTrialOnce(events, EXTERNAL_TRIALS);
    assertCompleted(env, id, EXTERNAL_TRIALS);
  }

  /** Reads the search's event lines to the end; after the {@code n}-th completed trial runs {@code action} once. */
  private static List<JsonNode> readEvents(Process search, int n, ThrowingRunnable action) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    int completed = 0;
    try (BufferedReader out = TestCassandra.stdout(search)) {
      for (String line; (line = out.readLine()) != null; ) {
        JsonNode event = Json.mapper().readTree(line);
        events.add(event);
        if (event.path("type").asText().equals("TrialCompleted") && ++completed == n) {
          action.run();
        }
      }
    }
    assertThat(completed).as("trials completed before the outage").isGreaterThanOrEqualTo(n);
    return events;
  }

  private static void assertOneOutageLineAndQuiet(String stderr) {
    long outageLines = stderr.lines().filter(l -> l.contains("journal unreachable at 127.0.0.1:" + cql + ", retrying")).count();
    assertThat(outageLines).as(stderr).isEqualTo(1);
    assertThat(stderr).as("no stack traces on the terminal").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(stderr).contains("is back after");
  }

  /** Exactly the budget completed, none twice, each a proposed trial: nothing half-recorded or repeated. */
  private static void assertEveryTrialOnce(List<JsonNode> events, int trials) {
    Map<Integer, Integer> completions = new HashMap<>();
    List<Integer> proposed = new ArrayList<>();
    for (JsonNode e : events) {
      switch (e.path("type").asText()) {
        case "TrialProposed" -> proposed.add(e.get("trial").asInt());
        case "TrialCompleted" -> completions.merge(e.get("trial").asInt(), 1, Integer::sum);
        default -> { }
      }
    }
    assertThat(completions.values()).as("each trial completed once").allMatch(c -> c == 1);
    assertThat(completions).hasSize(trials);
    assertThat(proposed).doesNotHaveDuplicates().containsAll(completions.keySet());
    assertThat(events.stream().map(e -> e.path("type").asText())).contains("SearchCompleted", "ModelExported");
  }

  private static void assertCompleted(Map<String, String> env, String id, int trials) throws Exception {
    Run status = run(env, "status", id);
    assertThat(status.code()).as(status.stderr()).isEqualTo(0);
    JsonNode json = Json.mapper().readTree(status.stdout());
    assertThat(json.path("state").asText()).isEqualTo("completed");
    assertThat(json.path("trials").path("completed").asInt()).isEqualTo(trials);
  }

  private static void awaitStderr(Path logs, String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!TestCassandra.lastStderr(logs).contains(text)) {
      assertThat(System.nanoTime()).as("'%s' within %s", text, limit).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  record Run(int code, String stdout, String stderr) {}

  /** A short CLI command in its own JVM, to its end. */
  static Run run(Map<String, String> env, String... args) throws Exception {
    Path logs = Files.createTempDirectory(dir, "cmd");
    Process p = TestCassandra.automerge(env, logs, args);
    String stdout = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), stdout, TestCassandra.lastStderr(logs));
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
