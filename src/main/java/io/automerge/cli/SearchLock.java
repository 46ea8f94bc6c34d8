package io.automerge.cli;

import io.automerge.InvalidInputException;
import io.automerge.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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

  private final FileChannel channel;
  private final FileLock lock;

  private SearchLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static Path directory() {
    return Path.of(System.getProperty("user.home"), ".automerge", "locks");
  }

  static SearchLock acquire(Holder holder) {
    Path dir = directory();
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(file(holder.search()), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        String pid = read(file(holder.search())).map(h -> " (pid " + h.pid() + ")").orElse("");
        throw new InvalidInputException(
            "search '" + holder.search() + "' is already running in another automerge process on this machine" + pid);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((Json.line(holder) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new SearchLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock search " + holder.search() + " in " + dir, e);
    }
  }

  /** The search's lock file, if it ever ran on this machine, and whether its process is alive. */
  static Optional<Entry> find(String searchId) {
    Path file = file(searchId);
    return Files.exists(file) ? entry(file) : Optional.empty();
  }

  /** Every search that a live process on this machine runs now. */
  static List<Holder> live() {
    List<Holder> out = new ArrayList<>();
    try (var files = Files.list(directory())) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".lock")).sorted().toList()) {
        entry(f).filter(Entry::live).ifPresent(e -> out.add(e.holder()));
      }
    } catch (IOException e) {
      // no lock directory: nothing runs
    }
    return out;
  }

  private static Optional<Entry> entry(Path file) {
    Optional<Holder> holder = read(file);
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock probe = tryLock(channel);
      if (probe != null) {
        probe.release();
      }
      return Optional.of(new Entry(holder.get(), probe == null));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Null when another process (or this one) holds the lock. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisProcess) {
      return null;
    }
  }

  private static Optional<Holder> read(Path file) {
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(Json.mapper().readValue(text, Holder.class));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // written by an older version, or being written right now
    }
  }

  private static Path file(String searchId) {
    return directory().resolve(searchId + ".lock");
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // released by the OS when the process ends anyway
    }
  }
}
