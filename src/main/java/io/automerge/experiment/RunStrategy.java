package io.automerge.experiment;

import io.automerge.search.ProposalStrategy;
import java.util.List;

/** How a run's search proposes its trials, with what the experiment's reports say about it. */
public sealed interface RunStrategy {
  /** What the run's search records as its strategy when it starts. */
  ProposalStrategy proposals();

  /** Bayesian optimization or random search over the spec's space. */
  record Optimized(ProposalStrategy.Algorithm algorithm) implements RunStrategy {
    @Override
    public ProposalStrategy proposals() {
      return ProposalStrategy.optimizer(algorithm);
    }
  }

  /** Trial k evaluates {@code plans.get(k − 1)} on every block (RQ1/RQ2). */
  record Fixed(List<FixedPlan> plans) implements RunStrategy {
    public Fixed {
      plans = List.copyOf(plans);
    }

    @Override
    public ProposalStrategy proposals() {
      return new ProposalStrategy.Fixed(plans.stream().map(FixedPlan::choice).toList());
    }
  }
}
