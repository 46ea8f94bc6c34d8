package io.automerge.cluster;

import com.typesafe.config.Config;
import io.automerge.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes losing the journal a state of this process, not a crash. While the journal is gone the
 * coordinator restarts with backoff and answers nothing (its supervisor stashes what arrives);
 * whoever waits for it calls {@link #unanswered()} and {@link #answered()}. An outage is said
 * once, the embedded node is started again when that is the journal, and after
 * {@code automerge.cassandra.give-up-after} the wait ends with one line (exit 2).
 */
public final class JournalGuard {
  private static final Logger log = LoggerFactory.getLogger(JournalGuard.class);

  private final CassandraSettings settings;
  private final Duration giveUpAfter;
  private Instant unansweredSince;
  private Instant unreachableSince;

  public JournalGuard(CassandraSettings settings, Duration giveUpAfter) {
    this.settings = settings;
    this.giveUpAfter = giveUpAfter;
  }

  public static JournalGuard from(Config config) {
    return new JournalGuard(CassandraSettings.from(config), config.getDuration("automerge.cassandra.give-up-after"));
  }

  /** The coordinator answered: any outage is over. */
  public synchronized void answered() {
    if (unreachableSince != null) {
      log.info("journal at {} is back after {} s; the search continues", where(),
          Duration.between(unreachableSince, Instant.now()).toSeconds());
    }
    unansweredSince = null;
    unreachableSince = null;
  }

  /**
   * The coordinator did not answer in time. Returns to let the caller ask again; throws
   * {@link InvalidInputException} once nothing has answered for {@code give-up-after}.
   */
  public synchronized void unanswered() {
    Instant now = Instant.now();
    if (unansweredSince == null) {
      unansweredSince = now;
    }
    boolean reachable = CqlProbe.releaseVersion(settings.effectiveContactPoints(), settings.localDatacenter()).isPresent();
    if (!reachable) {
      if (unreachableSince == null) {
        unreachableSince = now;
        log.warn("journal unreachable at {}, retrying", where());
      }
      if (settings.embedded()) {
        restartEmbedded();
      }
    }
    if (Duration.between(unansweredSince, Instant.now()).compareTo(giveUpAfter) > 0) {
      throw new InvalidInputException((unreachableSince != null
          ? "journal unreachable at " + where()
          : "the search coordinator has not answered (journal at " + where() + ")")
          + " for " + giveUpAfter.toSeconds() + " s (automerge.cassandra.give-up-after); giving up."
          + " Nothing recorded is lost: run the same command again to resume");
    }
  }

  /** The embedded node is ours to run: start it again (a no-op while it is still starting). */
  private void restartEmbedded() {
    try {
      new LocalCassandra(settings).ensureRunning();
    } catch (RuntimeException e) {
      log.debug("could not restart the embedded Cassandra node yet", e);
    }
  }

  String where() {
    return settings.describeContactPoints();
  }
}
