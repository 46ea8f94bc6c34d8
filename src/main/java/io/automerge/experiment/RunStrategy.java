package io.automerge.experiment;

import io.automerge.actors.OptimizerProposer;
import java.util.List;

/** How a run's search proposes its trials. */
public sealed interface RunStrategy {
  /** Bayesian optimization or random search over the spec's space. */
  record Optimized(OptimizerProposer.Kind kind) implements RunStrategy {}

  /** Trial k evaluates {@code plans.get(k − 1)} on every block (RQ1/RQ2). */
  record Fixed(List<FixedPlan> plans) implements RunStrategy {
    public Fixed {
      plans = List.copyOf(plans);
    }
  }
}
