package io.automerge.merge;

import java.nio.file.Path;
import java.util.Locale;

/** What a merge did: tensors written, bytes read from all inputs and written, time taken. */
public record MergeSummary(Path output, int tensors, long bytesRead, long bytesWritten, double seconds) {

  /** Input bytes processed per second, in GB/s (10^9). */
  public double gigabytesPerSecond() {
    return seconds > 0 ? bytesRead / seconds / 1e9 : 0;
  }

  /** One line for stderr. */
  public String line() {
    return String.format(Locale.ROOT,
        "merged %d tensors: read %s, wrote %s in %.2f s (%.2f GB/s) -> %s",
        tensors, bytes(bytesRead), bytes(bytesWritten), seconds, gigabytesPerSecond(), output);
  }

  private static String bytes(long n) {
    return n >= 1e9 ? String.format(Locale.ROOT, "%.2f GB", n / 1e9) : String.format(Locale.ROOT, "%.1f MB", n / 1e6);
  }
}
