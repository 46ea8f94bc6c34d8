package io.automerge.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Asks Cassandra for its version: the test that a node really answers CQL, not just a port. */
final class CqlProbe {
  private CqlProbe() {}

  /** The release version, or empty when nothing answers CQL at these contact points now. */
  static Optional<String> releaseVersion(List<InetSocketAddress> contactPoints, String datacenter) {
    DriverConfigLoader loader =
        DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(3))
            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(3))
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
            .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
            .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of())
            .build();
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoints(contactPoints.stream().map(CqlProbe::resolved).toList())
            .withLocalDatacenter(datacenter)
            .withConfigLoader(loader)
            .build()) {
      var row = session.execute("SELECT release_version FROM system.local").one();
      return Optional.ofNullable(row).map(r -> r.getString(0));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static InetSocketAddress resolved(InetSocketAddress a) {
    return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
  }
}
