package io.automerge.trial;

import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The spec's {@code cache_sources_on_device: auto|on|off}: whether a worker keeps float32 copies
 * of base and sources on its device besides the resident model. {@code auto} (the default) keeps
 * them only when they take at most 1 GiB and a quarter of the device's free memory, so small
 * models merge from memory and large ones stream from the mapped files.
 */
public final class CacheSources {
  public static final List<String> NAMES = List.of("auto", "on", "off");
  /** {@code auto}: the copies may take this share of the free memory at most. */
  static final double HEADROOM = 0.25;
  /** {@code auto}: and never more than this (several workers may share a host). */
  static final long AUTO_LIMIT_BYTES = 1L << 30;

  private CacheSources() {}

  public static void check(String value, String field) {
    if (value != null && !NAMES.contains(value)) {
      throw new InvalidInputException(field + ": expected one of " + NAMES + " (got " + value + ")");
    }
  }

  static boolean decide(String value, int models, long float32ModelBytes, LongSupplier freeBytes) {
    check(value, "cache_sources_on_device");
    return switch (value == null ? "auto" : value) {
      case "on" -> true;
      case "off" -> false;
      default -> {
        long copies = SourceCache.bytesFor(models, float32ModelBytes);
        yield copies <= AUTO_LIMIT_BYTES && copies <= HEADROOM * freeBytes.getAsLong();
      }
    };
  }

  /** Free memory of {@code device}: the GPU's as nvidia-smi reports it, the host's MemAvailable for the CPU. */
  public static long freeBytes(ai.djl.Device device) {
    if (device.isGpu()) {
      try {
        java.lang.management.MemoryUsage usage = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
        return Math.max(0, usage.getMax() - usage.getCommitted());
      } catch (RuntimeException e) {
        return 0; // unknown: stream
      }
    }
    return hostAvailableBytes();
  }

  /** MemAvailable of /proc/meminfo: what this machine can still give (0 where unknown: never cache). */
  public static long hostAvailableBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
