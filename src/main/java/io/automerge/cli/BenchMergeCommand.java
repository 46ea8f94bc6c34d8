package io.automerge.cli;

import io.automerge.InvalidInputException;
import io.automerge.merge.CpuThreads;
import io.automerge.merge.Devices;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.bench.AnonMemoryProbe;
import io.automerge.merge.bench.MergeBenchmark;
import io.automerge.merge.bench.SyntheticCheckpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `automerge bench merge`: synthetic float32 checkpoints, every technique, GB/s against a memory
 * copy of the same bytes in the same run, and the peak anonymous memory against its budget.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = "Benchmark the merge techniques on synthetic float32 checkpoints.")
public final class BenchMergeCommand implements Callable<Integer> {
  private static final double GIB = 1024.0 * 1024 * 1024;

  @Option(names = "--size-gib", defaultValue = "1.5", description = "size of each checkpoint (default ${DEFAULT-VALUE})")
  double sizeGib;

  @Option(names = "--models", defaultValue = "3", description = "source models besides the base (default ${DEFAULT-VALUE})")
  int models;

  @Option(names = "--tensor-mib", defaultValue = "128", description = "largest tensor (default ${DEFAULT-VALUE})")
  int tensorMib;

  @Option(names = "--dir", defaultValue = "/tmp/automerge-bench", description = "where checkpoints go (reused when identical)")
  Path dir;

  @Option(names = "--methods", split = ",", description = "techniques to run (default: all)")
  List<String> methods;

  @Option(names = "--device", description = "cpu or gpu:N (default: the first GPU if any)")
  String device;

  @Option(names = "--shard-size", defaultValue = "1GiB", description = "input and output shard size (default ${DEFAULT-VALUE})")
  String shardSize;

  @Option(names = "--repeat", defaultValue = "1",
      description = "runs of each technique, each right after a copy; the fastest of each counts (default ${DEFAULT-VALUE})")
  int repeat;

  @Override
  public Integer call() {
    if (models < 1 || sizeGib <= 0 || tensorMib <= 0 || repeat < 1) {
      throw new InvalidInputException("--models, --size-gib, --tensor-mib and --repeat must be positive");
    }
    long shardBytes = ByteSizes.parse(shardSize, "--shard-size");
    CpuThreads.preferSingleIntraOpThread();
    long tensorBytes = tensorMib * 1024L * 1024L;
    SyntheticCheckpoints data = new SyntheticCheckpoints(
        dir.toAbsolutePath().normalize(), (long) (sizeGib * GIB) / 4 * 4, tensorBytes, models, shardBytes);
    List<String> names = methods == null
        ? MergeMethods.all().stream().map(MergeMethod::name).toList() : methods;
    for (String name : names) {
      if (MergeMethods.find(name).isEmpty()) {
        throw new InvalidInputException("--methods: unknown merge method \"" + name + "\" (known: " + MergeMethods.names() + ")");
      }
    }
    out("generating %d checkpoints of %.2f GiB (%d tensors, largest %d MiB) in %s ...",
        models + 1, sizeGib, data.specs().size(), tensorMib, data.dir());
    out("  ready in %.1f s", data.ensure());
    MergeBenchmark bench = new MergeBenchmark(data, Devices.parse(device), shardBytes);
    for (String name : names) {
      bench.writeRecipe(name);
    }
    MergeBenchmark.Copy copy = bench.memoryCopy();
    out("memory copy of the inputs (one thread): %.2f GB in %.2f s = %.2f GB/s (%.2f s CPU); load average %s",
        copy.bytes() / 1e9, copy.seconds(), copy.gigabytesPerSecond(), copy.cpuSeconds(), loadAverage());
    if (repeat > 1) {
      out("each technique: %d runs, each right after a copy; the fastest run against the fastest of its copies", repeat);
    }
    long budget = (long) GIB + 4 * tensorBytes;
    long worstPeak = 0;
    out("%-16s %9s %8s %8s %10s %8s %14s", "technique", "seconds", "CPU s", "GB/s", "vs memcpy", "target",
        "peak RssAnon");
    for (String name : names) {
      Path outDir = data.dir().resolve("out-" + name);
      MergeBenchmark.Result result = null;
      MergeBenchmark.Copy adjacent = repeat > 1 ? null : copy;
      for (int run = 0; run < repeat; run++) {
        if (repeat > 1) {
          MergeBenchmark.Copy again = bench.memoryCopy();
          adjacent = adjacent == null || again.seconds() < adjacent.seconds() ? again : adjacent;
        }
        MergeBenchmark.Result next = bench.run(name, outDir);
        worstPeak = Math.max(worstPeak, next.peakAnonBytes());
        result = result == null || next.summary().seconds() < result.summary().seconds() ? next : result;
      }
      if (name.equals("task_arithmetic")) {
        bench.verifyTaskArithmetic(outDir);
      }
      double gbps = result.summary().gigabytesPerSecond();
      double share = 100 * gbps / adjacent.gigabytesPerSecond();
      double target = target(name);
      out("%-16s %9.2f %8.2f %8.2f %9.1f%% %4.0f%% %-3s %10.0f MiB%s", name, result.summary().seconds(),
          result.cpuSeconds(), gbps, share, target, share >= target ? "met" : "", result.peakAnonBytes() / 1048576.0,
          repeat > 1 ? String.format(Locale.ROOT, "   (copy %.2f GB/s)", adjacent.gigabytesPerSecond()) : "");
    }
    out("peak RssAnon %.0f MiB (process VmHWM %.0f MiB); budget 1 GiB + 4 x largest tensor = %.0f MiB: %s",
        worstPeak / 1048576.0, AnonMemoryProbe.vmHwmBytes() / 1048576.0,
        budget / 1048576.0, worstPeak <= budget ? "within" : "EXCEEDED");
    out("load average after the runs: %s", loadAverage());
    out("recipes for whole-process timing: %s/<technique>.yaml", data.dir());
    return worstPeak <= budget ? 0 : 1;
  }

  /** The 1, 5 and 15 minute load averages, or "?" where /proc/loadavg is missing. */
  private static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The technique's declared goal, as a share of the memory copy ({@link MergeMethod#speedTargetPercent()}). */
  static double target(String technique) {
    return MergeMethods.find(technique).orElseThrow().speedTargetPercent();
  }

  private static void out(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
