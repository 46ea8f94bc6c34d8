package io.automerge.status;

import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import io.automerge.search.ProposalStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search's state as the JSON users read: `automerge status` prints it, the HTTP API serves it.
 * Pure functions of the folded {@link SearchState}, so both always say the same.
 */
public final class SearchStatusView {
  private SearchStatusView() {}

  /** {"id", "state", "trials": {"completed", "failed", "total"}, "best": {"trial", "cost", "plan"}}. */
  public static Map<String, Object> summary(SearchState state) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", state.id());
    out.put("state", stateName(state));
    Map<String, Object> trials = new LinkedHashMap<>();
    trials.put("completed", state.count(SearchState.Outcome.COMPLETED));
    trials.put("failed", state.count(SearchState.Outcome.FAILED));
    trials.put("pending", state.pending().size());
    trials.put("total", state.spec() == null ? 0 : state.spec().trials());
    trials.put("evaluated_samples", state.evaluatedSamples());
    out.put("trials", trials);
    if (state.spec() != null) {
      out.put("proposals", proposals(state.strategyOrLegacy()));
    }
    out.put("best", state.best().map(t -> {
      Map<String, Object> best = new LinkedHashMap<>();
      best.put("trial", t.id());
      best.put("cost", t.cost());
      best.put("plan", t.plan());
      return (Object) best;
    }).orElse(null));
    if (state.spec() != null && state.spec().rescore() > 0 && state.budgetDone()) {
      Map<String, Object> rescoring = new LinkedHashMap<>();
      rescoring.put("candidates", state.rescoreCandidates().stream().map(SearchState.Trial::id).toList());
      rescoring.put("rescored", state.rescored().values().stream().map(r -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", r.trial());
        m.put("full_validation_cost", r.cost());
        m.put("error", r.error());
        return m;
      }).toList());
      rescoring.put("chosen", state.phase() == SearchState.Phase.COMPLETED ? state.bestTrial() : null);
      out.put("rescoring", rescoring);
    }
    if (state.failure() != null) {
      out.put("failure", state.failure());
    }
    if (state.export() != null) {
      out.put("output", state.export().dir());
    }
    return out;
  }

  /** How the search proposes: {@code bayesian}, {@code random}, or {@code fixed} (its list of plans). */
  static String proposals(ProposalStrategy strategy) {
    return strategy instanceof ProposalStrategy.Optimizer o
        ? o.algorithm().name().toLowerCase(java.util.Locale.ROOT)
        : "fixed";
  }

  /**
   * The summary plus what a dashboard needs: the incumbent's choice per block (in block order)
   * an ETA for the remaining trials, and per worker the trials it ran and how busy it was.
   */
  public static Map<String, Object> detail(SearchState state, long nowMillis) {
    Map<String, Object> out = summary(state);
    out.put("blocks", state.segmentation() == null ? List.of() : state.segmentation().blockNames());
    out.put("incumbent", state.best().map(SearchStatusView::incumbent).orElse(null));
    out.put("eta_seconds", etaSeconds(state));
    out.put("started_at_millis", state.startedAtMillis());
    out.put("workers", workers(state, nowMillis));
    return out;
  }

  /**
   * {"worker", "trials", "busy_seconds", "busy_share"} per worker that ran a trial: busy time is
   * the sum of its trials' times, the share is that over the time since the search started
   * (resumed searches count the pause too).
   */
  static List<Map<String, Object>> workers(SearchState state, long nowMillis) {
    Map<String, long[]> byWorker = new java.util.TreeMap<>();
    for (SearchState.Trial t : state.trials().values()) {
      if (t.outcome() == SearchState.Outcome.COMPLETED && t.lastWorker() != null) {
        long[] sums = byWorker.computeIfAbsent(t.lastWorker(), w -> new long[2]);
        sums[0]++;
        sums[1] += t.millis();
      }
    }
    double elapsed = Math.max(1, nowMillis - state.startedAtMillis());
    List<Map<String, Object>> out = new ArrayList<>();
    byWorker.forEach((worker, sums) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("worker", worker);
      m.put("trials", sums[0]);
      m.put("busy_seconds", sums[1] / 1000.0);
      m.put("busy_share", Math.min(1.0, sums[1] / elapsed));
      out.add(m);
    });
    return out;
  }

  /** One row per block: {"block", "technique", "weights", "parameters"}. */
  private static Object incumbent(SearchState.Trial best) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    best.plan().blocks().forEach((name, choice) -> blocks.add(block(name, choice)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trial", best.id());
    out.put("cost", best.cost());
    out.put("blocks", blocks);
    return out;
  }

  private static Map<String, Object> block(String name, BlockChoice choice) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("block", name);
    m.put("technique", choice.technique());
    m.put("weights", choice.effectiveWeights()); // null for a technique that takes none
    m.put("parameters", choice.parameters());
    return m;
  }

  /**
   * Seconds until the budget is done: the trials still to finish × the mean trial time, divided
   * by the trials running side by side now (at least one). Null before a trial completed or once
   * the budget is done.
   */
  public static Double etaSeconds(SearchState state) {
    if (state.spec() == null || state.settled() || state.budgetDone()) {
      return null;
    }
    double done = state.completedEquivalents();
    if (done == 0) {
      return null;
    }
    // per trial, or per full-fidelity-equivalent evaluation with fidelity:
    double meanMillis = state.trials().values().stream()
        .filter(t -> t.outcome() == SearchState.Outcome.COMPLETED).mapToLong(SearchState.Trial::millis).sum() / done;
    double remaining = Math.max(0, state.spec().trials() - done);
    int parallel = Math.max(1, state.pending().size());
    return remaining * meanMillis / 1000.0 / parallel;
  }

  /** One trial: plan, outcome, losses, metrics, cost, worker, time, failed attempts. */
  public static Map<String, Object> trial(SearchState.Trial t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trial", t.id());
    out.put("outcome", t.outcome().name().toLowerCase());
    out.put("cost", t.cost());
    out.put("plan", t.plan());
    out.put("losses", t.losses());
    out.put("metrics", t.metrics());
    out.put("worker", t.lastWorker());
    out.put("millis", t.millis());
    out.put("failed_attempts", t.failedAttempts());
    out.put("last_error", t.lastError());
    if (t.fidelity() != null) {
      out.put("fidelity", t.fidelity());
      out.put("samples", t.samples());
    }
    return out;
  }

  public static List<Map<String, Object>> trials(SearchState state) {
    return state.trials().values().stream().map(SearchStatusView::trial).toList();
  }

  public static String stateName(SearchState state) {
    return switch (state.phase()) {
      case NEW, RUNNING -> "running";
      case COMPLETED -> state.export() == null ? "running" : "completed";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
    };
  }
}
