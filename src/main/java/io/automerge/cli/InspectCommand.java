package io.automerge.cli;

import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `automerge inspect <checkpoint>`: what a checkpoint holds, without loading any tensor. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "List a checkpoint's tensors (name, dtype, shape) and parameter counts per dtype.")
public final class InspectCommand implements Callable<Integer> {

  @Parameters(paramLabel = "CHECKPOINT", description = "Checkpoint directory, .safetensors file or shard index.")
  Path checkpoint;

  @Option(names = "--summary", description = "Print only the totals, not one line per tensor.")
  boolean summary;

  @Option(names = "--match", paramLabel = "REGEX", description = "List only tensors whose name contains a match.")
  Pattern match;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    try (Checkpoint opened = Checkpoint.open(checkpoint)) {
      out.printf("checkpoint %s: %d file(s), %d tensors, %d bytes%n",
          opened.root(), opened.files().size(), opened.names().size(), opened.byteSize());
      out.println("config.json: " + opened.configJson().map(Path::toString).orElse("absent"));
      opened.metadata().forEach((key, value) -> out.printf("metadata %s = %s%n", key, value));
      Map<DType, Long> parameters = new EnumMap<>(DType.class);
      for (String name : opened.names()) {
        TensorInfo info = opened.info(name);
        parameters.merge(info.dtype(), info.numel(), Long::sum);
        if (!summary && (match == null || match.matcher(name).find())) {
          out.printf("%-60s %-4s %s%n", name, info.dtype(), Arrays.toString(info.shape()));
        }
      }
      long total = parameters.values().stream().mapToLong(Long::longValue).sum();
      parameters.forEach((dtype, count) -> out.printf("parameters %s: %d%n", dtype, count));
      out.printf("parameters total: %d%n", total);
    }
    return 0;
  }
}
