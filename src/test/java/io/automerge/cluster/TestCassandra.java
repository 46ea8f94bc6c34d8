package io.automerge.cluster;

import io.automerge.eval.TinyCctPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real local Cassandra 5 node for every persistence test in this JVM (target/it-cassandra,
 * free ports), started by the product's own launcher and stopped when the JVM ends; and the
 * `automerge` CLI run as a separate JVM against it.
 */
final class TestCassandra {
  private static TestCassandra instance;

  private final LocalCassandra node;
  private final Map<String, String> env;

  private TestCassandra(LocalCassandra node, Map<String, String> env) {
    this.node = node;
    this.env = env;
  }

  static synchronized TestCassandra get() {
    if (instance == null) {
      int cql = freePort();
      int storage = freePort();
      Path data = Path.of("target", "it-cassandra").toAbsolutePath();
      LocalCassandra node = new LocalCassandra(new CassandraSettings(List.of(), "datacenter1", Duration.ofSeconds(60),
          data, cql, storage, "512m", Duration.ofSeconds(180), ""));
      node.stop(); // a node left over from an aborted run
      node.ensureRunning();
      Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
      instance = new TestCassandra(node, embeddedEnv(data, cql, storage));
    }
    return instance;
  }

  /** What a CLI process needs to use the embedded default at {@code dir} on these ports (and to log under target/). */
  static Map<String, String> embeddedEnv(Path dir, int cql, int storage) {
    return Map.of(
        "AUTOMERGE_CASSANDRA_DIR", dir.toString(),
        "AUTOMERGE_CASSANDRA_PORT", Integer.toString(cql),
        "AUTOMERGE_CASSANDRA_STORAGE_PORT", Integer.toString(storage),
        "AUTOMERGE_LOG_DIR", Path.of("target", "it-logs").toAbsolutePath().toString());
  }

  Map<String, String> env() {
    return env;
  }

  /** `automerge ARGS` in its own JVM; its stderr goes to a fresh file in {@code logDir}. */
  Process automerge(Path logDir, String... args) throws IOException {
    return automerge(env, logDir, args);
  }

  /** `automerge ARGS` in its own JVM with {@code env} added to the environment. */
  static Process automerge(Map<String, String> env, Path logDir, String... args) throws IOException {
    return automerge(env, logDir, List.of("-Xmx2g"), args);
  }

  /** `automerge ARGS` in its own JVM with these JVM options (heap, -D overrides) and {@code env} added. */
  static Process automerge(Map<String, String> env, Path logDir, List<String> jvmOptions, String... args) throws IOException {
    // `env --default-signal=INT`: where the test JVM runs as a script's background job, SIGINT is
    // ignored and a JVM started so never handles it (it refuses a handler for an ignored signal);
    // the searches here must take Ctrl-C as a user's terminal gives it.
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
        ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "io.automerge.cli.AutoMerge"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(logDir.resolve("stderr-" + System.nanoTime() + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static BufferedReader stdout(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The stderr of the latest process started with {@code logDir}. */
  static String lastStderr(Path logDir) {
    try (var files = Files.list(logDir)) {
      Path last = files.filter(f -> f.getFileName().toString().startsWith("stderr-")).sorted().reduce((a, b) -> b).orElse(null);
      return last == null ? "" : Files.readString(last);
    } catch (IOException e) {
      return "";
    }
  }

  /** A search spec over the shared tiny CCT pair. */
  static Path writeSpec(Path dir, String id, int trials) throws IOException {
    return writeSpec(dir, id, trials, "");
  }

  /** The tiny pair's spec, with {@code extra} YAML lines appended. */
  static Path writeSpec(Path dir, String id, int trials, String extra) throws IOException {
    TinyCctPair pair = TinyCctPair.shared();
    Files.createDirectories(dir);
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
        """.formatted(id, pair.base(), pair.tops(), pair.others(), trials) + extra);
    return spec;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
