package io.automerge.search;

/** Where a proposed trial stands. */
public enum TrialStatus {
  /** Handed out, no result yet: the surrogate fantasizes it at the best cost so far. */
  PENDING,
  /** Finished with a finite cost. */
  COMPLETED,
  /** Worker failure or a NaN/∞ cost: the surrogate sees the worst completed cost there. */
  FAILED
}
