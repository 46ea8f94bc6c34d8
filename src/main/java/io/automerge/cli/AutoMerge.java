package io.automerge.cli;

import io.automerge.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point: `automerge <command>`. Subcommands live in this package, one file each. */
@Command(
    name = "automerge",
    mixinStandardHelpOptions = true,
    version = "automerge 0.1.0",
    description = "Merge fine-tuned models block by block, searching technique and settings with Bayesian optimization.",
    subcommands = {
      CommandLine.HelpCommand.class,
      InspectCommand.class,
      CassandraCommand.class,
      MergeCommand.class,
      BenchCommand.class,
      ExamplesCommand.class,
      EvaluateCommand.class,
      SegmentCommand.class,
      SearchCommand.class,
      ExperimentCommand.class,
      StatusCommand.class,
      ServeCommand.class,
      WorkerCommand.class,
    })
public final class AutoMerge implements Runnable {

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces for errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try --help)");
  }

  public static void main(String[] args) {
    // Before the first logger: the log file names the process, the terminal shows what --debug asks for.
    System.setProperty("automerge.pid", Long.toString(ProcessHandle.current().pid()));
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    ConsoleLogFilter.debugRun(debug);
    if (!debug) {
      NativeStderr.divertTo(LogFiles.file());
    }
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; tests call this instead of main. */
  public static int execute(String... args) {
    // DJL must never try to download an engine: the PyTorch natives ship as Maven jars.
    System.setProperty("ai.djl.offline", "true");
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    ConsoleLogFilter.debugRun(debug);
    CommandLine cli = new CommandLine(new AutoMerge());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, debug));
    return cli.execute(args);
  }

  static int report(Exception ex, boolean debug) {
    if (InterruptHint.shuttingDown() && !debug) {
      return 130; // Ctrl-C: what failed because of it is no news; the search says how to resume
    }
    if (debug) {
      ex.printStackTrace(System.err);
    }
    Throwable userError = ex;
    while (userError != null && !(userError instanceof InvalidInputException)) {
      userError = userError.getCause();
    }
    if (userError != null) {
      System.err.println("automerge: " + userError.getMessage());
      return 2;
    }
    System.err.println(
        "automerge: internal error: " + ex + (debug ? "" : " (rerun with --debug for details)"));
    return 1;
  }
}
