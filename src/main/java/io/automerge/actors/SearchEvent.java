package io.automerge.actors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.automerge.export.ExportReport;
import io.automerge.search.FidelityRung;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.util.Map;

/**
 * The facts of a search, in the order they happened. Replaying them rebuilds the coordinator's
 * state exactly, including the optimizer (proposals are facts too).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(SearchEvent.SearchStarted.class),
  @JsonSubTypes.Type(SearchEvent.StrategyRecorded.class),
  @JsonSubTypes.Type(SearchEvent.SegmentationDecided.class),
  @JsonSubTypes.Type(SearchEvent.TrialProposed.class),
  @JsonSubTypes.Type(SearchEvent.TrialCompleted.class),
  @JsonSubTypes.Type(SearchEvent.TrialFailed.class),
  @JsonSubTypes.Type(SearchEvent.TrialAbandoned.class),
  @JsonSubTypes.Type(SearchEvent.TrialRescored.class),
  @JsonSubTypes.Type(SearchEvent.SearchCompleted.class),
  @JsonSubTypes.Type(SearchEvent.SearchFailed.class),
  @JsonSubTypes.Type(SearchEvent.SearchCancelled.class),
  @JsonSubTypes.Type(SearchEvent.ModelExported.class),
})
public sealed interface SearchEvent extends CborSerializable {
  String search();

  /**
   * @param strategy how the search proposes trials; null in journals written before it was recorded
   *     (those get a {@link StrategyRecorded} before any later event)
   */
  record SearchStarted(String search, SearchSpec spec, ProposalStrategy strategy, long startedAtMillis) implements SearchEvent {}

  /**
   * The strategy of a search whose {@link SearchStarted} predates recorded strategies: the one its
   * first start after the upgrade asked for (what it ran with before), else the legacy default.
   * Every event before it was written by the old coordinator and folds as that one folded it.
   */
  record StrategyRecorded(String search, ProposalStrategy strategy) implements SearchEvent {}

  record SegmentationDecided(String search, Segmentation segmentation) implements SearchEvent {}

  /**
   * @param fidelity where this evaluation sits in a multi-fidelity search (bracket, rung, samples,
   *     configuration); null without {@code fidelity:} and in journals written before it existed
   */
  record TrialProposed(String search, int trial, TrialPlan plan, FidelityRung fidelity) implements SearchEvent {
    public TrialProposed(String search, int trial, TrialPlan plan) {
      this(search, trial, plan, null);
    }
  }

  /**
   * @param metrics each task's validation metrics (null in journals written before they were recorded)
   * @param taskCosts each task's term of the cost, the objectives of an {@code objective: pareto} search
   *     (null for other objectives, and in journals written before they were recorded)
   * @param samples validation samples scored, all tasks together (null in journals written before they were recorded)
   */
  record TrialCompleted(
      String search, int trial, TrialPlan plan, Map<String, Double> losses, Map<String, Map<String, Double>> metrics,
      double cost, String worker, long millis, Map<String, Double> taskCosts, Long samples)
      implements SearchEvent {
    public TrialCompleted(String search, int trial, TrialPlan plan, Map<String, Double> losses,
        Map<String, Map<String, Double>> metrics, double cost, String worker, long millis) {
      this(search, trial, plan, losses, metrics, cost, worker, millis, null, null);
    }
  }

  /**
   * A completed trial scored again on the whole val split before the export (final re-scoring);
   * {@code cost} is null and {@code error} says why when that failed; {@code taskCosts} as in
   * {@link TrialCompleted}; {@code samples}: validation samples scored, all tasks together (null
   * when it failed and in journals written before they were recorded).
   */
  record TrialRescored(
      String search, int trial, Map<String, Double> losses, Map<String, Map<String, Double>> metrics, Double cost,
      String worker, long millis, String error, Map<String, Double> taskCosts, Long samples)
      implements SearchEvent {
    public TrialRescored(String search, int trial, Map<String, Double> losses, Map<String, Map<String, Double>> metrics,
        Double cost, String worker, long millis, String error) {
      this(search, trial, losses, metrics, cost, worker, millis, error, null, null);
    }
  }

  /**
   * One failed attempt. Whether the trial is tried again is decided by the coordinator and recorded
   * as a {@link TrialAbandoned} when it is not. (Journals written before that event existed
   * abandoned a trial at its second failed attempt: see {@link SearchState}.)
   */
  record TrialFailed(String search, int trial, int attempt, String worker, String reason) implements SearchEvent {}

  /** The coordinator's decision not to try a trial again: it counts as failed for good. */
  record TrialAbandoned(String search, int trial, int attempts, String reason) implements SearchEvent {}

  record SearchCompleted(String search, Integer bestTrial) implements SearchEvent {}

  /** The search cannot go on (e.g. every trial fails): a state a user must look at. */
  record SearchFailed(String search, String reason) implements SearchEvent {}

  record SearchCancelled(String search) implements SearchEvent {}

  /** The export is written; {@code report} holds its headline figures (the whole report is report.json in {@code dir}). */
  record ModelExported(String search, String dir, String sha256, ExportReport report) implements SearchEvent {}
}
