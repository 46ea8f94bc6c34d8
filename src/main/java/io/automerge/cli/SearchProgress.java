package io.automerge.cli;

import io.automerge.actors.SearchState;
import io.automerge.search.SearchSpec;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trials done/total, best cost, trials/min and ETA: a bar on a terminal, a log line per ten
 * trials otherwise (CI logs, pipes).
 */
final class SearchProgress implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchProgress.class);
  private final ProgressBar bar;
  private final long startNanos = System.nanoTime();
  private long startDone = -1;
  private long lastLogged = -1;
  private String lastStage = "";
  private long stageStartNanos;
  private long stageLoggedSeconds;

  SearchProgress(SearchSpec spec) {
    this.bar = System.console() == null ? null : new ProgressBarBuilder()
        .setTaskName("search " + spec.id())
        .setInitialMax(spec.trials())
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" trials", 1)
        .build();
  }

  void update(SearchState state) {
    long done = done(state);
    if (startDone < 0) {
      startDone = done;
    }
    double minutes = (System.nanoTime() - startNanos) / 60e9;
    double rate = minutes > 0 ? (done - startDone) / minutes : 0;
    String best = state.best().map(t -> String.format("%.4f", t.cost())).orElse("-");
    String stage = stage(state);
    if (!stage.isEmpty()) {
      showStage(state, stage);
      return;
    }
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(String.format(" best %s, %.1f trials/min, %d failed, %d val samples", best, rate,
          state.count(SearchState.Outcome.FAILED), state.evaluatedSamples()));
    } else if (done / 10 != lastLogged / 10 || lastLogged < 0) {
      lastLogged = done;
      long total = state.spec() == null ? 0 : state.spec().trials();
      String eta = rate > 0 ? String.format("%.1f min", (total - done) / rate) : "-";
      log.info("search {}: {}/{} trials, best cost {}, {} trials/min, ETA {}, {} val samples evaluated",
          state.id(), done, total, best, String.format("%.1f", rate), eta, state.evaluatedSamples());
    }
  }

  /** Completed trials; with {@code fidelity:} in full-fidelity-equivalent evaluations (what {@code trials} counts there). */
  private static long done(SearchState state) {
    return (long) state.completedEquivalents();
  }

  /**
   * The steps after the budget take a while with nothing to count (the export merges, then scores
   * every source, the merged model and the baselines on test): show how long the step has run,
   * on the bar at every poll, in the log every 10 s.
   */
  private void showStage(SearchState state, String stage) {
    long now = System.nanoTime();
    if (!stage.equals(lastStage)) {
      lastStage = stage;
      stageStartNanos = now;
      stageLoggedSeconds = 0;
      if (bar == null) {
        log.info("search {}: {}", state.id(), stage);
      }
    }
    long seconds = (now - stageStartNanos) / 1_000_000_000L;
    if (bar != null) {
      bar.setExtraMessage(" " + stage + ", " + seconds + " s");
    } else if (seconds >= stageLoggedSeconds + 10) {
      stageLoggedSeconds = seconds - seconds % 10;
      log.info("search {}: {}, {} s so far", state.id(), stage, stageLoggedSeconds);
    }
  }

  /** After the budget: the final re-scoring, then the export; empty while trials run. */
  private static String stage(SearchState state) {
    if (state.spec() == null || state.settled() || !state.budgetDone()) {
      return "";
    }
    if (state.phase() == SearchState.Phase.RUNNING && !state.toRescore().isEmpty()) {
      return String.format("re-scoring the %d best trials on the whole validation split: %d/%d",
          state.rescoreCandidates().size(), state.rescored().size(), state.rescoreCandidates().size());
    }
    SearchSpec spec = state.spec();
    int sources = spec.models().size();
    String baselines = spec.report().baselines()
        ? ", the base model and " + SearchSpec.techniquesFor(sources).size() + " fixed techniques (report: {baselines: false} skips them)"
        : "";
    String front = spec.pareto()
        ? ", " + Math.min(state.paretoFront().size(), io.automerge.export.ParetoMembers.LIMIT) + " Pareto front members"
        : "";
    return "exporting trial " + state.bestTrial() + ": merging, then test scores of " + sources
        + " source models, the merged model" + front + baselines + ", report";
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
