package io.automerge.merge;

/** Told about each tensor as the engine finishes it (a CLI progress bar, log lines). */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** Before the first tensor: how many there are and how many output bytes they make. */
  default void started(int tensors, long outputBytes) {}

  default void tensorDone(String name, long outputBytes) {}

  default void finished() {}
}
