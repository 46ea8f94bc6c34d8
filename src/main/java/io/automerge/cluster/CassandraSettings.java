package io.automerge.cluster;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Where AutoMerge keeps its events: an external cluster, or the embedded local node. */
public record CassandraSettings(
    List<InetSocketAddress> contactPoints,
    String localDatacenter,
    Duration connectTimeout,
    Path localDir,
    int localCqlPort,
    int localStoragePort,
    String localHeap,
    Duration localStartTimeout,
    String localLibDir) {

  public static CassandraSettings from(Config config) {
    Config c = config.getConfig("automerge.cassandra");
    Config local = c.getConfig("local");
    return new CassandraSettings(
        parseContactPoints(c.getString("contact-points")),
        c.getString("local-datacenter"),
        c.getDuration("connect-timeout"),
        Path.of(local.getString("dir")).toAbsolutePath(),
        local.getInt("cql-port"),
        local.getInt("storage-port"),
        local.getString("heap"),
        local.getDuration("start-timeout"),
        local.getString("lib-dir"));
  }

  /** True when no external cluster is configured, so the embedded node is used. */
  public boolean embedded() {
    return contactPoints.isEmpty();
  }

  /** The contact points the driver should use: the configured ones, else the local node. */
  public List<InetSocketAddress> effectiveContactPoints() {
    return embedded() ? List.of(new InetSocketAddress("127.0.0.1", localCqlPort)) : contactPoints;
  }

  /** "host:port,host:port" of {@link #effectiveContactPoints()}, as messages name the journal. */
  public String describeContactPoints() {
    return String.join(",", effectiveContactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
  }

  static List<InetSocketAddress> parseContactPoints(String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(CassandraSettings::parseHostPort)
        .toList();
  }

  private static InetSocketAddress parseHostPort(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      return InetSocketAddress.createUnresolved(hostPort, 9042);
    }
    try {
      return InetSocketAddress.createUnresolved(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new io.automerge.InvalidInputException(
          "automerge.cassandra.contact-points: bad port in '" + hostPort + "'");
    }
  }
}
