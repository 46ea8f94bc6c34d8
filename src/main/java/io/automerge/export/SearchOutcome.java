package io.automerge.export;

import io.automerge.search.FidelityRung;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.util.List;
import java.util.Map;

/**
 * What a finished search hands to the export: the spec, the winner, and the history for the report.
 *
 * @param paretoFront with {@code objective: pareto}, the front on the validation per-task costs (the
 *     winner among them); empty otherwise
 */
public record SearchOutcome(
    SearchSpec spec,
    Segmentation segmentation,
    int bestTrial,
    TrialPlan bestPlan,
    Map<String, Double> bestLosses,
    double bestCost,
    List<TrialRecord> trials,
    List<RescoreRecord> rescored,
    long wallMillis,
    List<FrontMember> paretoFront,
    long evaluatedSamples) {

  /** @param evaluatedSamples validation samples scored over the whole search, all tasks together, re-scoring included */
  public SearchOutcome {
    paretoFront = paretoFront == null ? List.of() : List.copyOf(paretoFront);
  }

  /** A search with one objective: no front. */
  public SearchOutcome(SearchSpec spec, Segmentation segmentation, int bestTrial, TrialPlan bestPlan, Map<String, Double> bestLosses,
      double bestCost, List<TrialRecord> trials, List<RescoreRecord> rescored, long wallMillis) {
    this(spec, segmentation, bestTrial, bestPlan, bestLosses, bestCost, trials, rescored, wallMillis, List.of(), 0);
  }

  /** A member of the Pareto front: its plan, its search cost under {@code select}, and its per-task validation costs. */
  public record FrontMember(int trial, TrialPlan plan, double cost, Map<String, Double> taskCosts) {}

  /** One of the best trials scored again on the whole val split: its search cost and that cost (null if it failed). */
  public record RescoreRecord(int trial, double searchCost, Double fullCost, Map<String, Double> fullLosses, String error) {}

  /** One finished trial as the report lists it (cost null when it failed). */
  public record TrialRecord(int id, TrialPlan plan, Double cost, Map<String, Double> losses, String worker, long millis, String error,
      FidelityRung fidelity) {
    public TrialRecord(int id, TrialPlan plan, Double cost, Map<String, Double> losses, String worker, long millis, String error) {
      this(id, plan, cost, losses, worker, millis, error, null);
    }
  }
}
