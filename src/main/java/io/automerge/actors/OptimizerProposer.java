package io.automerge.actors;

import io.automerge.search.BayesianOptimizer;
import io.automerge.search.FidelityCorrection;
import io.automerge.search.OptimizerState;
import io.automerge.search.ParEgo;
import io.automerge.search.Proposal;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.RandomSearch;
import io.automerge.search.Trial;
import io.automerge.search.TrialStatus;
import io.automerge.search.TrialPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the optimizer's state from the search state (trial k of the search is trial k − 1 of
 * the optimizer) and asks it for the next plan; pending trials are fantasized by the optimizer.
 */
public final class OptimizerProposer implements PlanProposer {
  private final ProposalStrategy.Optimizer strategy;

  public OptimizerProposer(ProposalStrategy.Optimizer strategy) {
    this.strategy = strategy;
  }

  @Override
  public TrialPlan propose(SearchState search, int trialId) {
    OptimizerState state = stateOf(search, strategy);
    if (search.spec().fidelity() == null && state.nextTrialNumber() != trialId - 1) {
      throw new IllegalStateException("trial ids must be dense: next is " + trialId + ", history has " + state.trials().size());
    }
    Proposal proposal = strategy.algorithm() == ProposalStrategy.Algorithm.BAYESIAN
        ? new BayesianOptimizer(state).propose(state)
        : new RandomSearch(state).propose(state);
    return proposal.plan();
  }

  /**
   * The optimizer's view of the search before its next proposal. With {@code objective: pareto} a
   * completed trial's cost is its ParEGO scalarization under the weights drawn for that proposal
   * ({@link ParEgo}), so each proposal aims at another part of the front.
   */
  public static OptimizerState stateOf(SearchState search, ProposalStrategy.Optimizer strategy) {
    if (search.spec().fidelity() != null) { // never with pareto: the spec refuses the pair
      return new OptimizerState(search.spec().space(search.segmentation().blockNames()), strategy.settings(search.spec()),
          configurations(search));
    }
    Map<Integer, Double> costs = search.spec().pareto() ? scalarized(search) : null;
    List<Trial> trials = new ArrayList<>();
    for (SearchState.Trial t : search.trials().values()) {
      int number = t.id() - 1;
      trials.add(switch (t.outcome()) {
        case COMPLETED -> costs == null ? new Trial(number, t.plan(), TrialStatus.COMPLETED, t.cost())
            // a completed trial without per-task costs has nothing to scalarize: the optimizer learns nothing from it
            : costs.containsKey(t.id()) ? new Trial(number, t.plan(), TrialStatus.COMPLETED, costs.get(t.id()))
            : new Trial(number, t.plan(), TrialStatus.FAILED, null);
        case FAILED -> new Trial(number, t.plan(), TrialStatus.FAILED, null);
        case PROPOSED -> new Trial(number, t.plan(), TrialStatus.PENDING, null);
      });
    }
    return new OptimizerState(search.spec().space(search.segmentation().blockNames()), strategy.settings(search.spec()), trials);
  }

  /** Each completed trial's augmented Chebyshev cost under the weights of the next proposal, by trial id. */
  private static Map<Integer, Double> scalarized(SearchState search) {
    List<String> tasks = search.spec().tasks();
    List<SearchState.Trial> scored = search.trials().values().stream()
        .filter(t -> t.outcome() == SearchState.Outcome.COMPLETED && t.taskCosts() != null)
        .toList();
    double[] weights = ParEgo.weights(search.spec().seed(), search.nextTrialId(), tasks.size());
    List<Double> values = ParEgo.scalarize(
        scored.stream().map(t -> t.taskCostVector(tasks)).toList(), weights);
    Map<Integer, Double> out = new HashMap<>();
    for (int i = 0; i < scored.size(); i++) {
      out.put(scored.get(i).id(), values.get(i));
    }
    return out;
  }

  /**
   * A multi-fidelity search's history as the optimizer sees it: one entry per configuration (in
   * the order they were first evaluated), with the cost of the highest rung it completed, put on
   * the top rung's scale ({@link FidelityCorrection}); pending while none completed and one runs,
   * failed when every evaluation failed.
   */
  static List<Trial> configurations(SearchState search) {
    Map<Integer, List<SearchState.Trial>> byConfig = new TreeMap<>();
    for (SearchState.Trial t : search.trials().values()) {
      byConfig.computeIfAbsent(t.fidelity().config(), c -> new ArrayList<>()).add(t);
    }
    List<TreeMap<Integer, Double>> costs = byConfig.values().stream().map(OptimizerProposer::costsByRung).toList();
    int rungs = search.spec().fidelity().rungs(search.spec().validation().samplesPerTask()).length;
    FidelityCorrection correction = FidelityCorrection.fit(costs, rungs);
    List<Trial> trials = new ArrayList<>();
    int number = 0;
    for (List<SearchState.Trial> evaluations : byConfig.values()) {
      TrialPlan plan = evaluations.get(0).plan();
      TreeMap<Integer, Double> completed = costs.get(number);
      boolean running = evaluations.stream().anyMatch(t -> t.outcome() == SearchState.Outcome.PROPOSED);
      trials.add(!completed.isEmpty()
          ? new Trial(number, plan, TrialStatus.COMPLETED, correction.toTop(completed.lastEntry().getValue(), completed.lastKey()))
          : running ? new Trial(number, plan, TrialStatus.PENDING, null) : new Trial(number, plan, TrialStatus.FAILED, null));
      number++;
    }
    return trials;
  }

  /** A configuration's completed costs by rung, lowest rung first. */
  private static TreeMap<Integer, Double> costsByRung(List<SearchState.Trial> evaluations) {
    TreeMap<Integer, Double> costs = new TreeMap<>();
    evaluations.stream().filter(t -> t.outcome() == SearchState.Outcome.COMPLETED)
        .forEach(t -> costs.put(t.fidelity().rung(), t.cost()));
    return costs;
  }
}
