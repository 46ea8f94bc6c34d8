package io.automerge.merge;

/**
 * Merging on CPU runs many short element-wise ops on cache-sized slices ({@link Chunks}); with
 * PyTorch's intra-op thread pool every op is a fork/join, which costs more than it saves on slices
 * this small and stalls badly when the cores are shared (measured 5x slower on a loaded 2-core
 * machine). Commands that merge call this before DJL starts; an explicit
 * {@code -Dai.djl.pytorch.num_threads} wins.
 */
public final class CpuThreads {
  private CpuThreads() {}

  public static void preferSingleIntraOpThread() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "1");
    }
  }
}
