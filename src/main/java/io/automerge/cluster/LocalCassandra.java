package io.automerge.cluster;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a single-node Cassandra 5 in its own detached JVM (new session, so a
 * Ctrl-C or kill -9 of AutoMerge leaves it running), with data under a configurable directory,
 * reused by later runs and stopped only by `automerge cassandra stop`.
 */
public final class LocalCassandra {
  private static final Logger log = LoggerFactory.getLogger(LocalCassandra.class);
  private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";

  private final CassandraSettings settings;
  private final Path dir;

  public LocalCassandra(CassandraSettings settings) {
    this.settings = settings;
    this.dir = settings.localDir();
  }

  public record Status(boolean answering, Optional<Long> pid, Optional<String> version, Path dir, int port) {}

  public Status status() {
    Optional<String> version = probe();
    return new Status(version.isPresent(), livePid(), version, dir, settings.localCqlPort());
  }

  /** Starts the node unless one already answers CQL on the configured port; waits until ready. */
  public Status ensureRunning() {
    Optional<String> version = probe();
    if (version.isPresent()) {
      return new Status(true, livePid(), version, dir, settings.localCqlPort());
    }
    // Several processes may find the node gone at once (searches after an outage): one launches it.
    try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      if (livePid().isPresent()) {
        log.info("Local Cassandra (pid {}) is starting; waiting for CQL", livePid().get());
      } else {
        launch();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dir.resolve("launch.lock"), e);
    }
    return awaitReady();
  }

  private Path lockFile() throws IOException {
    Files.createDirectories(dir);
    return dir.resolve("launch.lock");
  }

  /** Stops the node this directory's pid file names: SIGTERM, then SIGKILL after 60 s. */
  public boolean stop() {
    Optional<ProcessHandle> process = livePid().flatMap(ProcessHandle::of);
    if (process.isEmpty()) {
      deletePidFile();
      return false;
    }
    ProcessHandle handle = process.get();
    handle.destroy();
    try {
      handle.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception timedOut) {
      log.warn("Cassandra pid {} ignored SIGTERM for 60 s; killing it", handle.pid());
      handle.destroyForcibly();
      handle.onExit().join();
    }
    deletePidFile();
    return true;
  }

  private Optional<String> probe() {
    return CqlProbe.releaseVersion(settings.effectiveContactPoints(), settings.localDatacenter());
  }

  private void launch() {
    Path lib = CassandraJars.ensure(settings.localLibDir());
    try {
      Files.createDirectories(dir.resolve("conf"));
      Files.createDirectories(dir.resolve("logs"));
      Files.writeString(dir.resolve("conf/cassandra.yaml"), renderYaml());
      copyResource("cassandra/logback.xml", dir.resolve("conf/logback.xml"));
      Path args = dir.resolve("conf/jvm17-cassandra.args");
      copyResource("cassandra/jvm17-cassandra.args", args);

      ProcessBuilder pb = new ProcessBuilder(command(lib, args));
      pb.directory(dir.toFile());
      pb.redirectErrorStream(true);
      pb.redirectOutput(dir.resolve("logs/stdout.log").toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = pb.start();
      Files.writeString(pidFile(), Long.toString(process.pid()));
      log.info("Started local Cassandra (pid {}) with data in {}", process.pid(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start local Cassandra in " + dir, e);
    }
  }

  private List<String> command(Path lib, Path argsFile) {
    List<String> cmd = new ArrayList<>();
    // Its own session: signals to AutoMerge's process group don't reach the node.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    // As root, Cassandra mlockall()s its whole heap; dropping CAP_IPC_LOCK avoids that.
    if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      cmd.addAll(List.of("/usr/bin/setpriv", "--bounding-set", "-ipc_lock"));
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("@" + argsFile);
    cmd.add("-Xms" + settings.localHeap());
    cmd.add("-Xmx" + settings.localHeap());
    cmd.add("-Dcassandra.config=" + dir.resolve("conf/cassandra.yaml").toUri());
    cmd.add("-Dcassandra.storagedir=" + dir);
    cmd.add("-Dcassandra.logdir=" + dir.resolve("logs"));
    cmd.add("-Dcassandra-foreground=yes");
    cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    cmd.add("-Dcassandra.superuser_setup_delay_ms=0");
    cmd.add("-Dcassandra.ring_delay_ms=0");
    cmd.add("-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"));
    cmd.add("-cp");
    cmd.add(dir.resolve("conf") + ":" + lib + "/*");
    cmd.add(DAEMON);
    return cmd;
  }

  private Status awaitReady() {
    Instant deadline = Instant.now().plus(settings.localStartTimeout());
    while (Instant.now().isBefore(deadline)) {
      Optional<String> version = probe();
      if (version.isPresent()) {
        log.info("Local Cassandra {} answers CQL on port {}", version.get(), settings.localCqlPort());
        return new Status(true, livePid(), version, dir, settings.localCqlPort());
      }
      if (livePid().isEmpty()) {
        throw new InvalidInputException(
            "local Cassandra exited during start-up; see " + dir.resolve("logs/stdout.log")
                + lastLogLine());
      }
      sleep(Duration.ofSeconds(1));
    }
    throw new InvalidInputException(
        "local Cassandra did not answer CQL on port " + settings.localCqlPort() + " within "
            + settings.localStartTimeout().toSeconds() + " s; see " + dir.resolve("logs/stdout.log"));
  }

  private String renderYaml() throws IOException {
    try (InputStream in = resource("cassandra/cassandra.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("DATA_DIR", dir.toString())
          .replace("STORAGE_PORT", Integer.toString(settings.localStoragePort()))
          .replace("CQL_PORT", Integer.toString(settings.localCqlPort()));
    }
  }

  private Optional<Long> livePid() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile()).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("logs/stdout.log"));
      return lines.stream()
          .filter(l -> l.contains("ERROR") || l.contains("Exception"))
          .reduce((a, b) -> b)
          .map(l -> " (" + l.strip() + ")")
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private Path pidFile() {
    return dir.resolve("cassandra.pid");
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException ignored) {
      // a stale pid file is harmless: livePid() checks the process
    }
  }

  private static void copyResource(String name, Path target) throws IOException {
    try (InputStream in = resource(name)) {
      Files.write(target, in.readAllBytes());
    }
  }

  private static InputStream resource(String name) {
    InputStream in = LocalCassandra.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name + " (conf/ not on the classpath?)");
    }
    return in;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Cassandra", e);
    }
  }
}
