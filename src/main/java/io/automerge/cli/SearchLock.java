package io.automerge.cli;

import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One `automerge search` process per search id on a machine: two single-node clusters would
 * each run the id's coordinator and interleave events in one journal. (Nodes of one cluster
 * share the coordinator through Cluster Sharding and don't need this.) The OS drops the lock
 * when the process dies, so a kill -9 never leaves it stale.
 *
 * <p>The file ({@code ~/.automerge/locks/ID.lock}) also says who runs the search and on which
 * journal, and how to resume it: `automerge cassandra stop` refuses to stop a node that a live
 * search uses, and `automerge status` tells a running search from an interrupted one.
 */
final class SearchLock implements AutoCloseable {
  /** What a search process writes into its lock file. {@code embeddedDir} is null on an external journal. */
  record Holder(String search, long pid, String resume, String journal, String embeddedDir) {}

  /** A lock file and whether a live process holds it now. */
  record Entry(Holder holder, boolean live) {}

  private final LockFile file;

  private SearchLock(LockFile file) {
    this.file = file;
  }

  static Path directory() {
    return Path.of(System.getProperty("user.home"), ".automerge", "locks");
  }

  static SearchLock acquire(Holder holder) {
    Path path = file(holder.search());
    return new SearchLock(LockFile.acquire(path, holder).orElseThrow(() -> {
      String pid = LockFile.read(path, Holder.class).map(h -> " (pid " + h.pid() + ")").orElse("");
      return new InvalidInputException(
          "search '" + holder.search() + "' is already running in another automerge process on this machine" + pid);
    }));
  }

  /** The search's lock file, if it ever ran on this machine, and whether its process is alive. */
  static Optional<Entry> find(String searchId) {
    Path path = file(searchId);
    return Files.exists(path)
        ? LockFile.entry(path, Holder.class).map(e -> new Entry(e.holder(), e.live()))
        : Optional.empty();
  }

  /** Every search that a live process on this machine runs now. */
  static List<Holder> live() {
    return LockFile.live(directory(), Holder.class);
  }

  private static Path file(String searchId) {
    return directory().resolve(searchId + ".lock");
  }

  @Override
  public void close() {
    file.close();
  }
}
