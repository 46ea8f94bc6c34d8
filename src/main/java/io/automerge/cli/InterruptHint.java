package io.automerge.cli;

/**
 * Ctrl-C (or SIGTERM) on a running search: one line on stderr saying how to resume it. The
 * journal holds every finished trial, so the same command goes on where this one stopped.
 */
final class InterruptHint implements AutoCloseable {
  private final Thread hook;
  private volatile boolean finished;

  InterruptHint(String searchId, String resumeCommand) {
    this("automerge: search " + searchId + " interrupted; every finished trial is in the journal. Resume with: " + resumeCommand);
  }

  private InterruptHint(String line) {
    this.hook = new Thread(() -> {
      if (!finished) {
        System.err.println((System.console() != null ? System.lineSeparator() : "") + line);
        System.err.flush();
      }
    }, "automerge-interrupt-hint");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * On a node of a cluster the search is the cluster's (a remembered sharded entity): leaving
   * hands it to the other nodes, which go on with it. The same command follows it again.
   */
  static InterruptHint inCluster(String searchId, String followCommand) {
    return new InterruptHint("automerge: this node left the cluster; search " + searchId
        + " goes on on the other nodes (when there are any; else it waits in the journal for the next node)."
        + " Follow it again with: " + followCommand);
  }

  /** The search settled: nothing to resume. */
  void finished() {
    finished = true;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs now: it says its line unless the search finished
    }
  }

  /** True once the JVM is shutting down (Ctrl-C): errors of the interrupted work are not worth a line. */
  static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
