package io.automerge.cli;

import io.automerge.merge.CpuThreads;
import io.automerge.merge.Devices;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeSummary;
import io.automerge.merge.ProgressListener;
import io.automerge.merge.RecipeParser;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `automerge merge RECIPE OUT_DIR`: runs a recipe into a new checkpoint directory. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = "Merge models as a recipe says (native block recipe or plain mergekit recipe).")
public final class MergeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RECIPE", description = "recipe YAML file")
  Path recipe;

  @Parameters(index = "1", paramLabel = "OUT_DIR", description = "directory for the merged checkpoint")
  Path outDir;

  @Option(names = "--device", paramLabel = "DEVICE",
      description = "cpu or gpu:N (default: the first GPU if any, else cpu)")
  String device;

  @Option(names = "--shard-size", paramLabel = "SIZE", defaultValue = "5GB",
      description = "largest output shard, e.g. 500MB, 2GiB (default: ${DEFAULT-VALUE})")
  String shardSize;

  @Option(names = "--overwrite", description = "replace OUT_DIR if it exists and is not empty")
  boolean overwrite;

  @Override
  public Integer call() {
    long shardBytes = ByteSizes.parse(shardSize, "--shard-size");
    CpuThreads.preferSingleIntraOpThread();
    RecipeParser.Parsed parsed = RecipeParser.parse(recipe);
    parsed.warnings().forEach(w -> System.err.println("automerge: warning: " + w));
    MergeSummary summary = MergeEngine.builder(parsed.recipe())
        .device(Devices.parse(device))
        .shardSizeBytes(shardBytes)
        .listener(System.console() != null ? new Bar() : ProgressListener.NONE)
        .build()
        .run(outDir, overwrite);
    System.err.println("automerge: " + summary.line());
    return 0;
  }

  /** A terminal progress bar over the output bytes, showing the tensor just merged. */
  private static final class Bar implements ProgressListener {
    private ProgressBar bar;

    @Override
    public void started(int tensors, long outputBytes) {
      bar = new ProgressBarBuilder()
          .setTaskName("merge")
          .setInitialMax(Math.max(1, outputBytes))
          .setUnit(" MB", 1_000_000)
          .showSpeed()
          .build();
    }

    @Override
    public void tensorDone(String name, long outputBytes) {
      bar.setExtraMessage(name);
      bar.stepBy(outputBytes);
    }

    @Override
    public void finished() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
