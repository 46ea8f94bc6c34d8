package io.automerge.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything an optimizer needs, as a value: the space, the settings and the ordered trial
 * history (trial number = position). Proposals are a pure function of this value, so an
 * event-sourced owner rebuilds it by replaying proposals and results and gets the same next proposal.
 */
public record OptimizerState(SearchSpace space, OptimizerSettings settings, List<Trial> trials) {
  public OptimizerState {
    trials = List.copyOf(trials);
    for (int i = 0; i < trials.size(); i++) {
      if (trials.get(i).number() != i) {
        throw new IllegalArgumentException("trial at position " + i + " has number " + trials.get(i).number());
      }
    }
  }

  public static OptimizerState initial(SearchSpace space, OptimizerSettings settings) {
    return new OptimizerState(space, settings, List.of());
  }

  public int nextTrialNumber() {
    return trials.size();
  }

  public OptimizerState withProposal(Proposal proposal) {
    if (proposal.trialNumber() != nextTrialNumber()) {
      throw new IllegalArgumentException(
          "proposal has trial number " + proposal.trialNumber() + ", expected " + nextTrialNumber());
    }
    List<Trial> next = new ArrayList<>(trials);
    next.add(Trial.pending(proposal.trialNumber(), proposal.plan()));
    return new OptimizerState(space, settings, next);
  }

  /** Records a result; a NaN or infinite cost is recorded as a failure. */
  public OptimizerState withCost(int trialNumber, double cost) {
    if (!Double.isFinite(cost)) {
      return withFailure(trialNumber);
    }
    return replace(trialNumber, TrialStatus.COMPLETED, cost);
  }

  public OptimizerState withFailure(int trialNumber) {
    return replace(trialNumber, TrialStatus.FAILED, null);
  }

  private OptimizerState replace(int trialNumber, TrialStatus status, Double cost) {
    if (trialNumber < 0 || trialNumber >= trials.size()) {
      throw new IllegalArgumentException("no trial " + trialNumber + " (trials: " + trials.size() + ")");
    }
    Trial old = trials.get(trialNumber);
    if (old.status() != TrialStatus.PENDING) {
      throw new IllegalArgumentException("trial " + trialNumber + " is already " + old.status());
    }
    List<Trial> next = new ArrayList<>(trials);
    next.set(trialNumber, new Trial(trialNumber, old.plan(), status, cost));
    return new OptimizerState(space, settings, next);
  }

  public List<Trial> pending() {
    return trials.stream().filter(t -> t.status() == TrialStatus.PENDING).toList();
  }

  public List<Trial> completed() {
    return trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED).toList();
  }

  /** The completed trial with the lowest cost (the earliest among equals). */
  public Optional<Trial> best() {
    return completed().stream().min(Comparator.comparingDouble(Trial::cost));
  }
}
