package io.automerge.search;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * Runs an optimizer against {@link SyntheticObjective} for several seeds and reports the median
 * best-so-far cost after each evaluation. Seeds run in parallel; each run is deterministic.
 */
public final class OptimizerBenchmark {
  private OptimizerBenchmark() {}

  /** Median over seeds of the best cost after 1, 2, …, evaluations (index i = after i + 1). */
  public record Curve(double[] medianBest) {
    public double after(int evaluations) {
      return medianBest[evaluations - 1];
    }
  }

  /**
   * @param optimizerForSeed builds a fresh optimizer for a seed
   * @param seedDone called once per finished seed (progress), from any thread
   */
  public static Curve run(SearchSpace space, int seeds, int evaluations, LongFunction<Optimizer> optimizerForSeed, IntConsumer seedDone) {
    SyntheticObjective objective = new SyntheticObjective(space);
    double[][] perSeed = IntStream.range(0, seeds).parallel()
        .mapToObj(seed -> {
          double[] best = bestSoFar(optimizerForSeed.apply(seed + 1L), objective, evaluations);
          seedDone.accept(seed);
          return best;
        })
        .toArray(double[][]::new);
    double[] median = new double[evaluations];
    for (int e = 0; e < evaluations; e++) {
      double[] column = new double[seeds];
      for (int s = 0; s < seeds; s++) {
        column[s] = perSeed[s][e];
      }
      median[e] = median(column);
    }
    return new Curve(median);
  }

  static double[] bestSoFar(Optimizer optimizer, SyntheticObjective objective, int evaluations) {
    double[] best = new double[evaluations];
    double sofar = Double.POSITIVE_INFINITY;
    for (int e = 0; e < evaluations; e++) {
      Proposal p = optimizer.ask();
      double cost = objective.cost(p.plan());
      optimizer.tell(p.trialNumber(), cost);
      sofar = Math.min(sofar, cost);
      best[e] = sofar;
    }
    return best;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  /** Median wall time in milliseconds of {@code repeats} proposals from a state with {@code observations} completed trials. */
  public static double askMillis(SearchSpace space, OptimizerSettings settings, int observations, int repeats) {
    SyntheticObjective objective = new SyntheticObjective(space);
    RandomSearch filler = new RandomSearch(space, settings);
    for (int i = 0; i < observations; i++) {
      Proposal p = filler.ask();
      filler.tell(p.trialNumber(), objective.cost(p.plan()));
    }
    // Interleaving off so that every timed ask trains the forest and maximizes EI.
    OptimizerSettings timed = OptimizerSettings.builder().seed(settings.seed()).initialPoints(settings.initialPoints())
        .candidates(settings.candidates()).localSearchStarts(settings.localSearchStarts())
        .randomInterleave(0.0).trees(settings.trees()).build();
    OptimizerState state = new OptimizerState(space, timed, filler.state().trials());
    BayesianOptimizer optimizer = new BayesianOptimizer(state);
    double[] millis = new double[repeats];
    optimizer.propose(state); // warm-up (JIT)
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      optimizer.propose(state);
      millis[r] = (System.nanoTime() - start) / 1e6;
    }
    return median(millis);
  }
}
