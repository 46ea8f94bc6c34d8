package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The give-up rule, against a real CQL probe of a port where nothing listens. */
class JournalGuardTest {
  private static CassandraSettings external(int port) {
    return new CassandraSettings(List.of(InetSocketAddress.createUnresolved("127.0.0.1", port)), "datacenter1",
        Duration.ofSeconds(5), Path.of("unused"), 9042, 7000, "512m", Duration.ofSeconds(5), "");
  }

  @Test
  void unreachableJournalIsWaitedForUntilGiveUpAfterThenOneLineNamingIt() throws Exception {
    int port = TestCassandra.freePort();
    JournalGuard patient = new JournalGuard(external(port), Duration.ofMinutes(10));
    patient.unanswered(); // a pause, not an error
    patient.unanswered();
    patient.answered();

    // The clock starts at the first unanswered poll; the probe alone outlasts 1 ms.
    JournalGuard guard = new JournalGuard(external(port), Duration.ofMillis(1));
    assertThatThrownBy(guard::unanswered)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("journal unreachable at 127.0.0.1:" + port)
        .hasMessageContaining("automerge.cassandra.give-up-after")
        .hasMessageContaining("run the same command again to resume");
    assertThat(guard.where()).isEqualTo("127.0.0.1:" + port);
  }
}
