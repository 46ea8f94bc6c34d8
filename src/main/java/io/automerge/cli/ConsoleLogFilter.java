package io.automerge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What reaches the terminal (conf/logback.xml has one console appender per mode). Normally:
 * AutoMerge's own lines at INFO and above, without stack traces; libraries' warnings (CUDA
 * probing, Pekko, the Cassandra driver) and every stack trace go only to the log file. With
 * `--debug`: everything, in the debug appender's longer format.
 */
public final class ConsoleLogFilter extends Filter<ILoggingEvent> {
  private static volatile boolean debugRun = Boolean.getBoolean("automerge.debug");
  private boolean debugAppender;

  static void debugRun(boolean on) {
    debugRun = on;
  }

  /** Set from logback.xml: whether this filter guards the debug appender. */
  public void setDebug(boolean debugAppender) {
    this.debugAppender = debugAppender;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (debugAppender || debugRun) {
      return debugAppender == debugRun ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
    boolean ours = event.getLoggerName().startsWith("io.automerge");
    return ours && event.getLevel().isGreaterOrEqual(Level.INFO) && event.getThrowableProxy() == null
        ? FilterReply.NEUTRAL
        : FilterReply.DENY;
  }
}
