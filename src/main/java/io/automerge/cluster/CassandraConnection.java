package io.automerge.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.automerge.InvalidInputException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the journal is reachable before any actor needs it: starts or reuses the embedded
 * node, or waits a bounded time for the configured cluster, then points the driver at it.
 */
public final class CassandraConnection {
  private static final Logger log = LoggerFactory.getLogger(CassandraConnection.class);

  private CassandraConnection() {}

  /** The application config with the driver aimed at a Cassandra that answers CQL now. */
  public static Config ensure(Config config) {
    CassandraSettings settings = CassandraSettings.from(config);
    if (settings.embedded()) {
      new LocalCassandra(settings).ensureRunning();
    } else {
      awaitExternal(settings);
    }
    List<String> points = settings.effectiveContactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort())
        .toList();
    return ConfigFactory.empty()
        .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(points))
        .withValue("datastax-java-driver.basic.load-balancing-policy.local-datacenter",
            ConfigValueFactory.fromAnyRef(settings.localDatacenter()))
        .withFallback(config);
  }

  private static void awaitExternal(CassandraSettings settings) {
    Instant deadline = Instant.now().plus(settings.connectTimeout());
    List<InetSocketAddress> points = settings.contactPoints();
    int attempt = 0;
    while (true) {
      if (CqlProbe.releaseVersion(points, settings.localDatacenter()).isPresent()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new InvalidInputException("Cassandra unreachable at " + describe(points) + " after "
            + settings.connectTimeout().toSeconds() + " s (automerge.cassandra.contact-points)");
      }
      if (attempt++ == 0) {
        log.info("Waiting for Cassandra at {} (up to {} s)", describe(points), settings.connectTimeout().toSeconds());
      }
      try {
        Thread.sleep(Duration.ofSeconds(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static String describe(List<InetSocketAddress> points) {
    return String.join(",", points.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
  }
}
