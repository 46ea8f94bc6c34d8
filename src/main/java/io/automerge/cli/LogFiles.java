package io.automerge.cli;

import java.nio.file.Path;

/** Where the log file is (the same rule as conf/logback.xml): AUTOMERGE_LOG_DIR, else ~/.automerge/logs. */
final class LogFiles {
  private LogFiles() {}

  static Path file() {
    String dir = System.getenv("AUTOMERGE_LOG_DIR");
    return (dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".automerge", "logs") : Path.of(dir))
        .resolve("automerge.log");
  }
}
