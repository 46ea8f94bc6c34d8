package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OptimizerBenchmarkTest {
  private final SearchSpace space = SyntheticObjective.benchmarkSpace();

  @Test
  void syntheticObjectiveHasItsOptimumAtExactlyOne() {
    SyntheticObjective objective = new SyntheticObjective(space);
    assertThat(objective.cost(objective.optimum())).isEqualTo(1.0);
    Rng rng = new Rng(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(objective.cost(space.decode(space.randomPoint(rng)))).isGreaterThan(1.0);
    }
  }

  /** The criterion with the default settings: median over 10 seeds, BO after 50 beats random after 150. */
  @Test
  void bayesianOptimizationAfter50BeatsRandomSearchAfter150() {
    OptimizerBenchmark.Curve bo = OptimizerBenchmark.run(space, 10, 50,
        seed -> new BayesianOptimizer(space, OptimizerSettings.defaults(seed)), s -> {});
    OptimizerBenchmark.Curve random = OptimizerBenchmark.run(space, 10, 150,
        seed -> new RandomSearch(space, OptimizerSettings.defaults(seed)), s -> {});
    assertThat(bo.after(50)).isLessThan(random.after(150));
  }

  @Test
  void oneAskAt200ObservationsTakesWellUnderASecond() {
    double millis = OptimizerBenchmark.askMillis(space, OptimizerSettings.defaults(1), 200, 3);
    assertThat(millis).isLessThan(1000);
  }
}
