package io.automerge.cluster;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Cassandra 5 jars of the embedded node; on first use has Maven resolve them from
 * Maven Central (ops/cassandra/pom.xml) next to the AutoMerge jar, so nothing is downloaded by hand.
 */
final class CassandraJars {
  private static final Logger log = LoggerFactory.getLogger(CassandraJars.class);

  private CassandraJars() {}

  static Path ensure(String configured) {
    if (!configured.isBlank()) {
      Path lib = Path.of(configured).toAbsolutePath();
      if (!hasJars(lib)) {
        throw new InvalidInputException(
            "automerge.cassandra.local.lib-dir: no cassandra-all jar in " + lib);
      }
      return lib;
    }
    Path buildDir = buildDirectory();
    Path lib = buildDir.resolve("cassandra/lib");
    if (hasJars(lib)) {
      return lib;
    }
    Path pom = projectRoot(buildDir).map(r -> r.resolve("ops/cassandra/pom.xml")).orElseThrow(
        () -> new InvalidInputException(
            "Cassandra jars missing in " + lib + " and ops/cassandra/pom.xml not found to fetch them;"
                + " set automerge.cassandra.local.lib-dir"));
    log.info("Fetching the Cassandra 5 jars with Maven into {} (once; `mvn -f ops/cassandra/pom.xml package` does it at build time)", lib);
    runMaven(pom, lib);
    return lib;
  }

  private static boolean hasJars(Path lib) {
    try (var files = Files.list(lib)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("cassandra-all-"));
    } catch (IOException e) {
      return false;
    }
  }

  /** target/ when running from target/automerge.jar or target/classes. */
  private static Path buildDirectory() {
    try {
      Path code = Path.of(CassandraJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> projectRoot(Path buildDir) {
    for (Path p : List.of(buildDir.getParent(), Path.of("").toAbsolutePath())) {
      if (p != null && Files.exists(p.resolve("ops/cassandra/pom.xml"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Maven's own output goes to a file beside the jars, never to stdout: commands that print JSON
   * (`status`, `cassandra status`) may be the ones that fetch.
   */
  private static void runMaven(Path pom, Path lib) {
    Path mavenLog = lib.getParent().resolve("fetch.log");
    try {
      Files.createDirectories(lib.getParent());
      Process mvn =
          new ProcessBuilder("mvn", "-B", "-q", "-Dstyle.color=never", "-f", pom.toString(), "package",
              "-Dcassandra.lib.dir=" + lib)
              .redirectErrorStream(true)
              .redirectOutput(mavenLog.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (mvn.waitFor() != 0 || !hasJars(lib)) {
        throw new InvalidInputException("could not fetch the Cassandra jars with Maven (" + pom + "); see " + mavenLog);
      }
    } catch (IOException e) {
      throw new InvalidInputException("Cassandra jars missing in " + lib + " and mvn is not available: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
