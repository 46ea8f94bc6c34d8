package io.automerge.actors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
  @JsonSubTypes.Type(SearchEvent.SegmentationDecided.class),
  @JsonSubTypes.Type(SearchEvent.TrialProposed.class),
  @JsonSubTypes.Type(SearchEvent.TrialCompleted.class),
  @JsonSubTypes.Type(SearchEvent.TrialFailed.class),
  @JsonSubTypes.Type(SearchEvent.TrialRescored.class),
  @JsonSubTypes.Type(SearchEvent.SearchCompleted.class),
  @JsonSubTypes.Type(SearchEvent.SearchFailed.class),
  @JsonSubTypes.Type(SearchEvent.SearchCancelled.class),
  @JsonSubTypes.Type(SearchEvent.ModelExported.class),
})
public sealed interface SearchEvent extends CborSerializable {
  String search();

  record SearchStarted(String search, SearchSpec spec, long startedAtMillis) implements SearchEvent {}

  record SegmentationDecided(String search, Segmentation segmentation) implements SearchEvent {}

  record TrialProposed(String search, int trial, TrialPlan plan) implements SearchEvent {}

  /** @param metrics each task's validation metrics (null in journals written before they were recorded) */
  record TrialCompleted(
      String search, int trial, TrialPlan plan, Map<String, Double> losses, Map<String, Map<String, Double>> metrics,
      double cost, String worker, long millis)
      implements SearchEvent {}

  /**
   * A completed trial scored again on the whole val split before the export (final re-scoring);
   * {@code cost} is null and {@code error} says why when that failed.
   */
  record TrialRescored(
      String search, int trial, Map<String, Double> losses, Map<String, Map<String, Double>> metrics, Double cost,
      String worker, long millis, String error)
      implements SearchEvent {}

  /** One failed attempt; after the second attempt the trial counts as failed for good. */
  record TrialFailed(String search, int trial, int attempt, String worker, String reason) implements SearchEvent {}

  record SearchCompleted(String search, Integer bestTrial) implements SearchEvent {}

  /** The search cannot go on (e.g. every trial fails): a state a user must look at. */
  record SearchFailed(String search, String reason) implements SearchEvent {}

  record SearchCancelled(String search) implements SearchEvent {}

  record ModelExported(String search, String dir, String sha256, Map<String, Object> report) implements SearchEvent {}
}
