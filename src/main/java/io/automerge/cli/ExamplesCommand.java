package io.automerge.cli;

import io.automerge.InvalidInputException;
import io.automerge.data.Tasks;
import io.automerge.model.train.PairSpec;
import io.automerge.model.train.PairTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code automerge examples OUT_DIR}: trains the example pairs (or a custom one) deterministically. */
@Command(
    name = "examples",
    mixinStandardHelpOptions = true,
    description = {
      "Train example model pairs: a base, then one fine-tune per task (each forgets the other's task).",
      "Built-in: fashion-cct (tops/others), fortunes-llama (english/german) and code-prose-llama (code/prose). Same seed, same bytes."
    })
public final class ExamplesCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "OUT_DIR", description = "Where OUT_DIR/<pair>/{base,<model>...} are written.")
  Path out;

  @Option(names = "--only", paramLabel = "PAIR", description = "Train only this built-in pair: fashion-cct, fortunes-llama or code-prose-llama.")
  String only;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for initialization and data order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pair", paramLabel = "NAME", description = "Train a custom pair under this name (with --arch and --tasks).")
  String pair;

  @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture of a custom pair: cct or llama.")
  String arch;

  @Option(names = "--tasks", paramLabel = "TASK_A,TASK_B", description = "Tasks of a custom pair, e.g. fashion-mnist:classes=0,1,2,3,4,fashion-mnist:classes=5,6,7,8,9.")
  String tasks;

  @Option(names = "--steps-scale", defaultValue = "1.0", description = "Multiply every step count (quick trial runs; default: ${DEFAULT-VALUE}).")
  double stepsScale;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}: small models train faster single-threaded on a busy CPU, and reruns stay bit-identical).")
  int threads;

  @Override
  public Integer call() {
    if (threads < 1) {
      throw new InvalidInputException("--threads must be at least 1, got " + threads);
    }
    // Read once when the PyTorch engine starts; no effect if it already has.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    if (stepsScale <= 0) {
      throw new InvalidInputException("--steps-scale must be positive, got " + stepsScale);
    }
    for (PairSpec spec : specs()) {
      long start = System.nanoTime();
      Path dir = PairTrainer.train(spec.scaled(stepsScale), out, model -> ProgressListeners.bar(spec.name() + "/" + model));
      System.out.printf("%s: trained in %.1f s -> %s%n", spec.name(), (System.nanoTime() - start) / 1e9, dir);
    }
    return 0;
  }

  private List<PairSpec> specs() {
    if (pair != null || arch != null || tasks != null) {
      if (pair == null || arch == null || tasks == null) {
        throw new InvalidInputException("a custom pair needs all of --pair, --arch and --tasks");
      }
      if (only != null) {
        throw new InvalidInputException("--only selects a built-in pair; it cannot be combined with --pair");
      }
      return List.of(PairSpec.custom(pair, arch, Tasks.splitList(tasks), seed));
    }
    List<PairSpec> specs = new ArrayList<>();
    for (String name : PairSpec.BUILT_IN) {
      if (only == null || only.equals(name)) {
        specs.add(PairSpec.builtIn(name, seed));
      }
    }
    if (specs.isEmpty()) {
      throw new InvalidInputException("unknown --only '" + only + "' (expected one of " + String.join(", ", PairSpec.BUILT_IN) + ")");
    }
    return specs;
  }
}
