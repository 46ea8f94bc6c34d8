package io.automerge.cli;

import io.automerge.InvalidInputException;
import io.automerge.search.BayesianOptimizer;
import io.automerge.search.OptimizerBenchmark;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.RandomSearch;
import io.automerge.search.SearchSpace;
import io.automerge.search.SyntheticObjective;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `automerge bench optimizer`: Bayesian optimization against random search on the synthetic
 * 3-block objective (optimum exactly 1.0), median best-so-far over seeds, plus the time of one
 * proposal at 200 observations.
 */
@Command(
    name = "optimizer",
    mixinStandardHelpOptions = true,
    description = "Compare Bayesian optimization with random search on a synthetic merge objective.")
public final class BenchOptimizerCommand implements Callable<Integer> {

  @Option(names = "--seeds", defaultValue = "10", description = "Seeds to run each optimizer with (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--evaluations", defaultValue = "150", description = "Evaluations per run (default: ${DEFAULT-VALUE}).")
  int evaluations;

  @Option(names = "--candidates", defaultValue = "10000", description = "Random candidates per BO proposal (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Override
  public Integer call() {
    if (seeds < 1 || evaluations < 10 || candidates < 1) {
      throw new InvalidInputException("bench optimizer: need --seeds >= 1, --evaluations >= 10, --candidates >= 1");
    }
    SearchSpace space = SyntheticObjective.benchmarkSpace();
    OptimizerBenchmark.Curve bo;
    OptimizerBenchmark.Curve random;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench optimizer").setInitialMax(2L * seeds).setUnit(" runs", 1).build()) {
      random = OptimizerBenchmark.run(space, seeds, evaluations,
          seed -> new RandomSearch(space, settings(seed)), s -> bar.step());
      bo = OptimizerBenchmark.run(space, seeds, evaluations,
          seed -> new BayesianOptimizer(space, settings(seed)), s -> bar.step());
    }
    System.out.printf("Synthetic objective: 3 blocks x 5 techniques x weight/density, optimum cost 1.0; median over %d seeds%n", seeds);
    System.out.printf("%11s  %12s  %12s%n", "evaluations", "bayesian", "random");
    for (int e = 10; e <= evaluations; e += 10) {
      System.out.printf("%11d  %12.4f  %12.4f%n", e, bo.after(e), random.after(e));
    }
    if (evaluations >= 150) {
      double bo50 = bo.after(50);
      double random150 = random.after(150);
      System.out.printf("BO@50 median %.4f vs random@150 median %.4f: %s%n", bo50, random150,
          bo50 < random150 ? "BO after 50 beats random after 150" : "BO after 50 does NOT beat random after 150");
    }
    double askMillis = OptimizerBenchmark.askMillis(space, settings(1), 200, 5);
    System.out.printf("One ask at 200 observations (%d candidates, %d trees): %.1f ms (median of 5)%n",
        candidates, OptimizerSettings.defaults(1).trees(), askMillis);
    return 0;
  }

  private OptimizerSettings settings(long seed) {
    return OptimizerSettings.builder().seed(seed).candidates(candidates).build();
  }
}
