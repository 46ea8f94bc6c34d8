package io.automerge.cli;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One `automerge search` process per search id on a machine: two single-node clusters would
 * each run the id's coordinator and interleave events in one journal. (Nodes of one cluster
 * share the coordinator through Cluster Sharding and don't need this.) The OS drops the lock
 * when the process dies, so a kill -9 never leaves it stale.
 */
final class SearchLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private SearchLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static SearchLock acquire(String searchId) {
    Path dir = Path.of(System.getProperty("user.home"), ".automerge", "locks");
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve(searchId + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new InvalidInputException("search '" + searchId + "' is already running in another automerge process on this machine");
      }
      return new SearchLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock search " + searchId + " in " + dir, e);
    }
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
