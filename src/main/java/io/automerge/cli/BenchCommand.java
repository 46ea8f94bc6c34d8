package io.automerge.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** `automerge bench <what>`: benchmarks, kept out of the test suite. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark.",
    subcommands = {BenchMergeCommand.class, BenchOptimizerCommand.class, BenchSearchCommand.class, BenchSearchMemoryCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark (try bench --help)");
  }
}
