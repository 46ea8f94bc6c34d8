package io.automerge.actors;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The runtime's knobs, read from {@code automerge.search} and {@code automerge.worker} in
 * conf/application.conf: how often a trial is tried, how many failures a search takes, how long
 * its steps may take, how often it snapshots. None of them changes what a journal replays to: a
 * decision taken with them is an event.
 *
 * @param maxAttempts workers a trial is tried on before it is abandoned
 * @param failureBudgetShare share of the trial budget that may be abandoned before the search fails
 * @param minFailureBudget abandoned trials always allowed, whatever the budget
 * @param snapshotEvery events between snapshots
 * @param keepSnapshots snapshots kept
 * @param segmentTimeout how long segmenting the base model may take
 * @param evaluateTimeout how long one trial's evaluation may take on a worker
 * @param journalBackoffMin first wait before a coordinator restarts after a journal failure
 * @param journalBackoffMax longest such wait
 */
public record SearchSettings(
    int maxAttempts,
    double failureBudgetShare,
    int minFailureBudget,
    int snapshotEvery,
    int keepSnapshots,
    Duration segmentTimeout,
    Duration evaluateTimeout,
    Duration journalBackoffMin,
    Duration journalBackoffMax) {

  public SearchSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("automerge.search.max-attempts must be at least 1, got " + maxAttempts);
    }
    if (failureBudgetShare < 0 || minFailureBudget < 0) {
      throw new IllegalArgumentException("automerge.search.failure-budget: share and min must not be negative");
    }
    if (snapshotEvery < 1 || keepSnapshots < 1) {
      throw new IllegalArgumentException("automerge.search: snapshot-every and keep-snapshots must be at least 1");
    }
  }

  public static SearchSettings from(Config config) {
    Config search = config.getConfig("automerge.search");
    Config worker = config.getConfig("automerge.worker");
    return new SearchSettings(
        search.getInt("max-attempts"),
        search.getDouble("failure-budget.share"),
        search.getInt("failure-budget.min"),
        search.getInt("snapshot-every"),
        search.getInt("keep-snapshots"),
        search.getDuration("segment-timeout"),
        worker.getDuration("evaluate-timeout"),
        search.getDuration("journal-backoff.min"),
        search.getDuration("journal-backoff.max"));
  }

  /** Abandoned trials a search of {@code trials} takes before it fails. */
  public int failureBudget(int trials) {
    return Math.max(minFailureBudget, (int) Math.floor(trials * failureBudgetShare));
  }

  public SearchSettings withMaxAttempts(int attempts) {
    return new SearchSettings(attempts, failureBudgetShare, minFailureBudget, snapshotEvery, keepSnapshots, segmentTimeout,
        evaluateTimeout, journalBackoffMin, journalBackoffMax);
  }
}
