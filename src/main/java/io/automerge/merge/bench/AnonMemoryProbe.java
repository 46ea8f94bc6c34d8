package io.automerge.merge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this process's anonymous resident memory (RssAnon in /proc/self/status: heap, native
 * allocations, direct buffers -- not the page cache behind file mappings) on a background thread
 * and keeps the peak. Linux only; elsewhere every reading is 0.
 */
public final class AnonMemoryProbe implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");

  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long peak;

  private AnonMemoryProbe(long intervalMillis) {
    peak = rssAnonBytes();
    sampler = new Thread(() -> {
      while (running) {
        peak = Math.max(peak, rssAnonBytes());
        try {
          Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-anon-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  public static AnonMemoryProbe start(long intervalMillis) {
    return new AnonMemoryProbe(intervalMillis);
  }

  /** The highest RssAnon seen so far, in bytes. */
  public long peakBytes() {
    return Math.max(peak, rssAnonBytes());
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }

  /** The current RssAnon in bytes (0 where /proc is unavailable). */
  public static long rssAnonBytes() {
    return statusField("RssAnon:");
  }

  /** The process's peak resident set (VmHWM), file-backed pages included. */
  public static long vmHwmBytes() {
    return statusField("VmHWM:");
  }

  static long statusField(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // reported in kB
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
