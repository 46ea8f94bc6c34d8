package io.automerge.cli;

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
 * A small JSON file that a running process holds an OS lock on, saying who it is. The OS drops the
 * lock when the process dies, so a kill -9 never leaves a stale "running" behind: readers tell a
 * live holder from a dead one by trying the lock.
 */
final class LockFile implements AutoCloseable {
  /** What a lock file says, and whether a live process holds it now. */
  record Entry<T>(T holder, boolean live) {}

  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code file} and writes {@code holder} into it; empty when another process holds it. */
  static Optional<LockFile> acquire(Path file, Object holder) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((Json.line(holder) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return Optional.of(new LockFile(channel, lock));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  /** The file's holder and whether its process is alive; empty when unreadable (another version, or being written). */
  static <T> Optional<Entry<T>> entry(Path file, Class<T> type) {
    Optional<T> holder = read(file, type);
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock probe = tryLock(channel);
      if (probe != null) {
        probe.release();
      }
      return Optional.of(new Entry<>(holder.get(), probe == null));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The holders of the live lock files directly in {@code dir}, by file name. */
  static <T> List<T> live(Path dir, Class<T> type) {
    List<T> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".lock")).sorted().toList()) {
        entry(f, type).filter(Entry::live).ifPresent(e -> out.add(e.holder()));
      }
    } catch (IOException e) {
      // no such directory: nothing runs
    }
    return out;
  }

  static <T> Optional<T> read(Path file, Class<T> type) {
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(Json.mapper().readValue(text, type));
    } catch (IOException | RuntimeException e) {
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
