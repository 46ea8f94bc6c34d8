package io.automerge.search;

import io.automerge.InvalidInputException;

/**
 * Optimizer settings; the defaults are SMAC3's HPO facade as the issue fixes them.
 *
 * @param seed every random draw derives from it (and the trial number)
 * @param initialPoints Sobol points handed out before the surrogate is used
 * @param candidates random configurations scored per proposal
 * @param localSearchStarts local searches start from this many best random and this many best evaluated points
 * @param randomInterleave probability that a proposal is a random configuration instead
 * @param trees trees in the random forest
 * @param warmStart the first proposals are the space's {@link SearchSpace#uniformPlans() uniform plans} and its {@link SearchSpace#basePlan() base plan}, before the Sobol points
 */
public record OptimizerSettings(
    long seed, int initialPoints, int candidates, int localSearchStarts, double randomInterleave, int trees, boolean warmStart) {

  public OptimizerSettings {
    if (initialPoints < 0 || candidates < 1 || localSearchStarts < 0 || trees < 1) {
      throw new InvalidInputException(
          "optimizer settings: need initialPoints >= 0, candidates >= 1, localSearchStarts >= 0, trees >= 1");
    }
    if (!(randomInterleave >= 0 && randomInterleave <= 1)) {
      throw new InvalidInputException("optimizer settings: randomInterleave must be in [0, 1], got " + randomInterleave);
    }
  }

  public static OptimizerSettings defaults(long seed) {
    return builder().seed(seed).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private long seed;
    private int initialPoints = 20;
    private int candidates = 10_000;
    private int localSearchStarts = 10;
    private double randomInterleave = 0.2;
    private int trees = 10;
    private boolean warmStart;

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder initialPoints(int initialPoints) {
      this.initialPoints = initialPoints;
      return this;
    }

    public Builder candidates(int candidates) {
      this.candidates = candidates;
      return this;
    }

    public Builder localSearchStarts(int localSearchStarts) {
      this.localSearchStarts = localSearchStarts;
      return this;
    }

    public Builder randomInterleave(double randomInterleave) {
      this.randomInterleave = randomInterleave;
      return this;
    }

    public Builder trees(int trees) {
      this.trees = trees;
      return this;
    }

    public Builder warmStart(boolean warmStart) {
      this.warmStart = warmStart;
      return this;
    }

    public OptimizerSettings build() {
      return new OptimizerSettings(seed, initialPoints, candidates, localSearchStarts, randomInterleave, trees, warmStart);
    }
  }
}
