package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.util.Json;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI tells the truth about a search nobody runs: `status` says running while the search's
 * process lives and interrupted once it is gone, and Ctrl-C (SIGINT to a separate JVM) prints one
 * line with the exact command that resumes it.
 */
class SearchInterruptTest {
  private static final String ID = "interrupt-" + System.currentTimeMillis();

  @TempDir static Path dir;
  private static TestCassandra cassandra;

  @BeforeAll
  static void startCassandra() {
    cassandra = TestCassandra.get();
  }

  @Test
  void ctrlCSaysHowToResumeAndStatusTellsRunningFromInterrupted() throws Exception {
    // A budget it cannot finish before the status check and the SIGINT, however fast the trials are.
    Path spec = TestCassandra.writeSpec(dir, ID, 20000, "rescore: 0\nreport: {baselines: false}\n");
    Path logs = Files.createDirectories(dir.resolve("search-logs"));
    Process search = cassandra.automerge(logs, "search", spec.toString(), "--events", "jsonl");
    BufferedReader out = TestCassandra.stdout(search);
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (Json.mapper().readTree(line).path("type").asText().equals("TrialCompleted")) {
          break;
        }
      }
      // Keep reading: a full stdout pipe would block the search's event printing, and its shutdown with it.
      Thread drain = new Thread(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (java.io.IOException ignored) {
          // the process is gone
        }
      });
      drain.setDaemon(true);
      drain.start();
      JsonNode running = status();
      assertThat(running.path("state").asText()).isEqualTo("running");
      assertThat(running.path("pid").asLong()).isEqualTo(search.pid());

      assertThat(new ProcessBuilder("kill", "-INT", Long.toString(search.pid())).start().waitFor()).isEqualTo(0);
      // The actor system's coordinated shutdown (sharding hand-off, cluster leave) takes seconds; a loaded machine, more.
      assertThat(search.waitFor(5, TimeUnit.MINUTES)).as("exit after SIGINT; threads:%n%s", threads(search)).isTrue();
    } finally {
      search.destroyForcibly();
    }
    String stderr = TestCassandra.lastStderr(logs);
    String resume = "automerge search " + spec.toAbsolutePath().normalize();
    assertThat(stderr.lines().filter(l -> l.contains("interrupted"))).as(stderr)
        .containsExactly("automerge: search " + ID + " interrupted; every finished trial is in the journal. Resume with: " + resume);
    assertThat(stderr).as("nothing else to say about Ctrl-C").doesNotContain("Exception").doesNotContain("internal error");
    assertThat(search.exitValue()).isEqualTo(130);

    JsonNode interrupted = status();
    assertThat(interrupted.path("state").asText()).isEqualTo("interrupted");
    assertThat(interrupted.path("resume").asText()).isEqualTo(resume);
    assertThat(interrupted.has("pid")).isFalse();
  }

  /** A thread dump of a process that did not exit, for the failure message. */
  private static String threads(Process p) {
    if (!p.isAlive()) {
      return "(exited)";
    }
    try {
      Process jstack = new ProcessBuilder("jstack", Long.toString(p.pid())).redirectErrorStream(true).start();
      return new String(jstack.getInputStream().readAllBytes());
    } catch (java.io.IOException e) {
      return "(no jstack: " + e.getMessage() + ")";
    }
  }

  private static JsonNode status() throws Exception {
    Path logs = Files.createTempDirectory(dir, "status");
    Process status = cassandra.automerge(logs, "status", ID);
    JsonNode json = Json.mapper().readTree(status.getInputStream());
    assertThat(status.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(status.exitValue()).as(TestCassandra.lastStderr(logs)).isEqualTo(0);
    return json;
  }
}
