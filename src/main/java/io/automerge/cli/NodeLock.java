package io.automerge.cli;

import io.automerge.cluster.CassandraSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * A node process that uses the journal without holding a search's lock (`automerge worker`,
 * `serve`, `experiment`) says so in {@code ~/.automerge/locks/nodes/PID.lock} while it lives, so
 * that `automerge cassandra stop` sees it too. The OS drops the lock when the process dies.
 */
final class NodeLock implements AutoCloseable {
  /** {@code what} names the process for a person ("worker node", "experiment 'fashion'"); {@code embeddedDir} is null on an external journal. */
  record Holder(String what, long pid, String journal, String embeddedDir) {}

  private final LockFile file;

  private NodeLock(LockFile file) {
    this.file = file;
  }

  /** This process, described as {@code what}, using the journal of {@code cassandra}. */
  static NodeLock acquire(String what, CassandraSettings cassandra) {
    long pid = ProcessHandle.current().pid();
    Holder holder = new Holder(what, pid, cassandra.describeContactPoints(),
        cassandra.embedded() ? cassandra.localDir().toString() : null);
    // A pid is one live process: nobody else holds this file.
    return new NodeLock(LockFile.acquire(directory().resolve(pid + ".lock"), holder).orElseThrow());
  }

  static Path directory() {
    return SearchLock.directory().resolve("nodes");
  }

  /** Every node process on this machine that is alive now. */
  static List<Holder> live() {
    return LockFile.live(directory(), Holder.class);
  }

  @Override
  public void close() {
    file.close();
  }
}
