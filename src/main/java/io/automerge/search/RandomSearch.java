package io.automerge.search;

/** Baseline: every proposal is an independent uniform draw from the space, seeded by (seed, trial number). */
public final class RandomSearch extends Optimizer {
  private static final long PURPOSE = 0x7A4D0L;

  public RandomSearch(SearchSpace space, OptimizerSettings settings) {
    this(OptimizerState.initial(space, settings));
  }

  public RandomSearch(OptimizerState state) {
    super(state);
  }

  @Override
  public Proposal propose(OptimizerState state) {
    int k = state.nextTrialNumber();
    Rng rng = Rng.derive(state.settings().seed(), k, PURPOSE);
    return new Proposal(k, state.space().decode(state.space().randomPoint(rng)));
  }
}
