package io.automerge.search;

/**
 * Ask/tell front over an {@link OptimizerState}. The proposal itself is the pure function
 * {@link #propose(OptimizerState)}; an event-sourced owner may call it directly and apply
 * {@link OptimizerState#withProposal} when the proposal event is persisted.
 */
public abstract sealed class Optimizer permits BayesianOptimizer, RandomSearch {
  private OptimizerState state;

  protected Optimizer(OptimizerState state) {
    this.state = state;
  }

  /** The next proposal for this state; does not change anything. */
  public abstract Proposal propose(OptimizerState state);

  /** Proposes the next trial and records it as pending. */
  public synchronized Proposal ask() {
    Proposal proposal = propose(state);
    state = state.withProposal(proposal);
    return proposal;
  }

  /** Reports a trial's cost; NaN or ±∞ counts as a failure. */
  public synchronized void tell(int trialNumber, double cost) {
    state = state.withCost(trialNumber, cost);
  }

  /** Reports that a trial could not be run or evaluated. */
  public synchronized void fail(int trialNumber) {
    state = state.withFailure(trialNumber);
  }

  public synchronized OptimizerState state() {
    return state;
  }
}
