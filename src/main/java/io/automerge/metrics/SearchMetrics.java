package io.automerge.metrics;

import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The node's Prometheus metrics, fed by the searches' journal events as they are read (so the
 * counters are the journal's counts): {@code automerge_trials_completed_total{search}},
 * {@code automerge_trials_failed_total{search}} (failed attempts: TrialFailed events),
 * {@code automerge_trial_seconds} (histogram of completed trials), {@code automerge_search_best_cost{search}}
 * and {@code automerge_workers{state}} (idle / busy).
 */
public final class SearchMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Double> bestCost = new ConcurrentHashMap<>();
  private final Timer trialTime;

  public SearchMetrics(IntSupplier workers, IntSupplier busyWorkers) {
    trialTime = Timer.builder("automerge.trial")
        .description("Wall time of completed trials (merge + validation) on their worker")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(50))
        .maximumExpectedValue(Duration.ofHours(2))
        .register(registry);
    Gauge.builder("automerge.workers", () -> Math.max(0, workers.getAsInt() - Math.min(workers.getAsInt(), busyWorkers.getAsInt())))
        .description("Workers in the cluster by state").tag("state", "idle").register(registry);
    Gauge.builder("automerge.workers", () -> Math.min(workers.getAsInt(), busyWorkers.getAsInt()))
        .description("Workers in the cluster by state").tag("state", "busy").register(registry);
  }

  /** One event as read from the journal, with the search's state after it. */
  public void record(SearchEvent event, SearchState after) {
    String search = event.search();
    if (event instanceof SearchEvent.TrialCompleted c) {
      completed(search).increment();
      trialTime.record(Duration.ofMillis(c.millis()));
    } else if (event instanceof SearchEvent.TrialFailed) {
      failed(search).increment();
    } else if (event instanceof SearchEvent.SearchStarted) {
      completed(search);
      failed(search);
    }
    after.best().ifPresent(best -> {
      if (bestCost.put(search, best.cost()) == null) {
        Gauge.builder("automerge.search.best.cost", bestCost, m -> m.getOrDefault(search, Double.NaN))
            .description("Lowest search cost so far").tag("search", search).register(registry);
      }
    });
  }

  private Counter completed(String search) {
    return Counter.builder("automerge.trials.completed").description("Trials completed (TrialCompleted events)")
        .tag("search", search).register(registry);
  }

  private Counter failed(String search) {
    return Counter.builder("automerge.trials.failed").description("Failed trial attempts (TrialFailed events)")
        .tag("search", search).register(registry);
  }

  /** The Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  public String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

}
