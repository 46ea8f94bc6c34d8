package io.automerge.cli;

/**
 * Ctrl-C (or SIGTERM) on a running search: one line on stderr saying how to resume it. The
 * journal holds every finished trial, so the same command goes on where this one stopped.
 */
final class InterruptHint implements AutoCloseable {
  private final Thread hook;
  private volatile boolean finished;

  InterruptHint(String searchId, String resumeCommand) {
    this.hook = new Thread(() -> {
      if (!finished) {
        System.err.println((System.console() != null ? System.lineSeparator() : "")
            + "automerge: search " + searchId + " interrupted; every finished trial is in the journal. Resume with: "
            + resumeCommand);
        System.err.flush();
      }
    }, "automerge-interrupt-hint");
    Runtime.getRuntime().addShutdownHook(hook);
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
