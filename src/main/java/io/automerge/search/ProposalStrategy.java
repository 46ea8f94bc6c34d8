package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * How a search proposes its trials. Persisted with the spec when the search starts, so whichever
 * node runs the search, and whatever flags a resume is given, it proposes the same way.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ProposalStrategy.Optimizer.class, name = "optimizer"),
  @JsonSubTypes.Type(value = ProposalStrategy.Fixed.class, name = "fixed"),
})
public sealed interface ProposalStrategy {

  enum Algorithm { BAYESIAN, RANDOM }

  /**
   * An optimizer over the spec's space. Seed, initial points and warm start are the spec's; the
   * optimizer's own settings are recorded here so that a changed default does not change a running
   * search.
   */
  record Optimizer(Algorithm algorithm, int candidates, int localSearchStarts, double randomInterleave, int trees)
      implements ProposalStrategy {
    /** The optimizer's settings for a search of {@code spec}. */
    public OptimizerSettings settings(SearchSpec spec) {
      return OptimizerSettings.builder().seed(spec.seed()).initialPoints(spec.initial()).warmStart(spec.warmStart())
          .candidates(candidates).localSearchStarts(localSearchStarts).randomInterleave(randomInterleave).trees(trees)
          .build();
    }
  }

  /** Trial k evaluates {@code plans.get((k − 1) mod n)} on every block (the experiment's fixed techniques). */
  record Fixed(List<BlockChoice> plans) implements ProposalStrategy {
    public Fixed {
      if (plans == null || plans.isEmpty()) {
        throw new IllegalArgumentException("a fixed strategy needs at least one plan");
      }
      plans = List.copyOf(plans);
    }
  }

  /** Today's optimizer defaults (SMAC3's HPO facade). */
  static Optimizer optimizer(Algorithm algorithm) {
    OptimizerSettings d = OptimizerSettings.defaults(0);
    return new Optimizer(algorithm, d.candidates(), d.localSearchStarts(), d.randomInterleave(), d.trees());
  }

  static Optimizer bayesian() {
    return optimizer(Algorithm.BAYESIAN);
  }

  /**
   * What a search whose journal predates recorded strategies proposes with: what every node but an
   * experiment's gave it, Bayesian optimization with today's defaults.
   */
  static ProposalStrategy legacyDefault() {
    return bayesian();
  }
}
