package io.automerge.actors;

import io.automerge.actors.SearchEvent.*;
import io.automerge.search.FidelityRung;
import io.automerge.search.HyperbandSchedule;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a search knows, folded from its events: the coordinator's state, its snapshot, and
 * what `automerge status` prints. Changes only through {@link #apply}.
 */
public record SearchState(
    String id,
    Phase phase,
    SearchSpec spec,
    Segmentation segmentation,
    TreeMap<Integer, Trial> trials,
    Integer bestTrial,
    String failure,
    ModelExported export,
    long startedAtMillis,
    TreeMap<Integer, Rescore> rescored,
    ProposalStrategy strategy) implements CborSerializable {

  public SearchState {
    rescored = rescored == null ? new TreeMap<>() : rescored; // snapshots from before re-scoring
  }

  public enum Phase { NEW, RUNNING, COMPLETED, FAILED, CANCELLED }

  public enum Outcome { PROPOSED, COMPLETED, FAILED }

  /** One trial: its plan, its attempts and, when done, its result. */
  public record Trial(
      int id,
      TrialPlan plan,
      Outcome outcome,
      int failedAttempts,
      String lastError,
      String lastWorker,
      Map<String, Double> losses,
      Map<String, Map<String, Double>> metrics,
      Double cost,
      long millis,
      Map<String, Double> taskCosts,
      FidelityRung fidelity,
      Long samples) {

    /** A trial as snapshots before per-task costs and multi-fidelity held it. */
    public Trial(int id, TrialPlan plan, Outcome outcome, int failedAttempts, String lastError, String lastWorker,
        Map<String, Double> losses, Map<String, Map<String, Double>> metrics, Double cost, long millis) {
      this(id, plan, outcome, failedAttempts, lastError, lastWorker, losses, metrics, cost, millis, null, null, null);
    }

    Trial completed(TrialCompleted e) {
      return new Trial(id, plan, Outcome.COMPLETED, failedAttempts, lastError, e.worker(), e.losses(), e.metrics(), e.cost(), e.millis(),
          e.taskCosts(), fidelity, e.samples());
    }

    Trial failedAttempt(TrialFailed e, Outcome next) {
      return new Trial(id, plan, next, e.attempt(), e.reason(), e.worker(), losses, metrics, cost, millis, taskCosts, fidelity, samples);
    }

    Trial abandoned() {
      return new Trial(id, plan, Outcome.FAILED, failedAttempts, lastError, lastWorker, losses, metrics, cost, millis, taskCosts,
          fidelity, samples);
    }

    /** The per-task costs in the order of {@code tasks}: the objectives of a Pareto search. */
    double[] taskCostVector(List<String> tasks) {
      return tasks.stream().mapToDouble(taskCosts::get).toArray();
    }

    /** Validation samples per task this evaluation scores: its rung's, else the whole validation sample ({@code max}). */
    public int samplesPerTask(int max) {
      return fidelity == null ? max : fidelity.samples();
    }
  }

  /** A best trial's score on the whole val split (final re-scoring); cost null if it failed. */
  public record Rescore(int trial, Map<String, Double> losses, Map<String, Map<String, Double>> metrics, Double cost, String error,
      Map<String, Double> taskCosts,
      Long samples) {
    public Rescore(int trial, Map<String, Double> losses, Map<String, Map<String, Double>> metrics, Double cost, String error) {
      this(trial, losses, metrics, cost, error, null, null);
    }
  }

  /**
   * How journals written before {@link TrialAbandoned} existed read: their coordinator folded a
   * trial as failed for good at this attempt. A fact about those journals, not a setting: the
   * policy now is the coordinator's ({@code automerge.search.max-attempts}), recorded as events.
   */
  static final int LEGACY_ABANDON_AT_ATTEMPT = 2;

  public static SearchState empty(String id) {
    return new SearchState(id, Phase.NEW, null, null, new TreeMap<>(), null, null, null, 0, new TreeMap<>(), null);
  }

  /** Folds one event. Decides nothing: every decision is an event of its own. */
  public SearchState apply(SearchEvent event) {
    if (event instanceof SearchStarted e) {
      return new SearchState(id, Phase.RUNNING, e.spec(), null, new TreeMap<>(), null, null, null, e.startedAtMillis(),
          new TreeMap<>(), e.strategy());
    } else if (event instanceof StrategyRecorded e) {
      return new SearchState(id, phase, spec, segmentation, trials, bestTrial, failure, export, startedAtMillis, rescored, e.strategy());
    } else if (event instanceof SegmentationDecided e) {
      return new SearchState(id, phase, spec, e.segmentation(), trials, bestTrial, failure, export, startedAtMillis, rescored, strategy);
    } else if (event instanceof TrialProposed e) {
      return withTrial(new Trial(e.trial(), e.plan(), Outcome.PROPOSED, 0, null, null, null, null, null, 0, null, e.fidelity(), null),
          bestTrial);
    } else if (event instanceof TrialCompleted e) {
      Trial done = trials.get(e.trial()).completed(e);
      Integer best = bestTrial == null || BY_FIDELITY_THEN_COST.compare(done, trials.get(bestTrial)) < 0 ? e.trial() : bestTrial;
      return withTrial(done, best);
    } else if (event instanceof TrialFailed e) {
      // Written before the strategy was recorded: by the old coordinator, which abandoned while folding.
      boolean legacyAbandon = strategy == null && e.attempt() >= LEGACY_ABANDON_AT_ATTEMPT;
      return withTrial(trials.get(e.trial()).failedAttempt(e, legacyAbandon ? Outcome.FAILED : Outcome.PROPOSED), bestTrial);
    } else if (event instanceof TrialAbandoned e) {
      return withTrial(trials.get(e.trial()).abandoned(), bestTrial);
    } else if (event instanceof TrialRescored e) {
      TreeMap<Integer, Rescore> nextRescored = new TreeMap<>(rescored);
      nextRescored.put(e.trial(), new Rescore(e.trial(), e.losses(), e.metrics(), e.cost(), e.error(), e.taskCosts(), e.samples()));
      return new SearchState(id, phase, spec, segmentation, trials, bestTrial, failure, export, startedAtMillis, nextRescored, strategy);
    } else if (event instanceof SearchCompleted e) {
      return new SearchState(id, Phase.COMPLETED, spec, segmentation, trials, e.bestTrial(), failure, export, startedAtMillis, rescored,
          strategy);
    } else if (event instanceof SearchFailed e) {
      return new SearchState(id, Phase.FAILED, spec, segmentation, trials, bestTrial, e.reason(), export, startedAtMillis, rescored,
          strategy);
    } else if (event instanceof SearchCancelled) {
      return new SearchState(id, Phase.CANCELLED, spec, segmentation, trials, bestTrial, failure, export, startedAtMillis, rescored,
          strategy);
    } else if (event instanceof ModelExported e) {
      return new SearchState(id, phase, spec, segmentation, trials, bestTrial, failure, e, startedAtMillis, rescored, strategy);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private SearchState withTrial(Trial trial, Integer best) {
    TreeMap<Integer, Trial> next = new TreeMap<>(trials);
    next.put(trial.id(), trial);
    return new SearchState(id, phase, spec, segmentation, next, best, failure, export, startedAtMillis, rescored, strategy);
  }

  /** The recorded strategy, or for a journal from before strategies were recorded the one it ran with. */
  public ProposalStrategy strategyOrLegacy() {
    return strategy != null ? strategy : ProposalStrategy.legacyDefault();
  }

  /** Nothing more will happen: exported, failed or cancelled. */
  public boolean settled() {
    return switch (phase) {
      case COMPLETED -> export != null;
      case FAILED, CANCELLED -> true;
      default -> false;
    };
  }

  public long count(Outcome outcome) {
    return trials.values().stream().filter(t -> t.outcome() == outcome).count();
  }

  public List<Trial> pending() {
    return trials.values().stream().filter(t -> t.outcome() == Outcome.PROPOSED).toList();
  }

  public List<Trial> finished() {
    return trials.values().stream().filter(t -> t.outcome() != Outcome.PROPOSED).toList();
  }

  public int nextTrialId() {
    return trials.isEmpty() ? 1 : trials.lastKey() + 1;
  }

  public Optional<Trial> best() {
    return Optional.ofNullable(bestTrial).map(trials::get);
  }

  /** Trials still to propose so that {@code spec.trials()} complete (without {@code fidelity:}). */
  public int toPropose() {
    return (int) (spec.trials() - count(Outcome.COMPLETED) - pending().size());
  }

  public boolean budgetDone() {
    if (spec.fidelity() != null) {
      return pending().isEmpty() && fidelityNext() instanceof HyperbandSchedule.Done;
    }
    return count(Outcome.COMPLETED) >= spec.trials() && pending().isEmpty();
  }

  /** What the Hyperband schedule of a {@code fidelity:} search runs next; its budget is {@code trials} full evaluations. */
  public HyperbandSchedule.Next fidelityNext() {
    int max = spec.validation().samplesPerTask();
    List<HyperbandSchedule.Evaluation> evaluations = trials.values().stream()
        .filter(t -> t.fidelity() != null)
        .map(t -> new HyperbandSchedule.Evaluation(t.id(), t.fidelity(), switch (t.outcome()) {
          case PROPOSED -> HyperbandSchedule.Status.PENDING;
          case COMPLETED -> HyperbandSchedule.Status.COMPLETED;
          case FAILED -> HyperbandSchedule.Status.FAILED;
        }, t.cost(), HyperbandSchedule.tieBreak(t.losses())))
        .toList();
    return HyperbandSchedule.next(spec.fidelity(), max, (long) spec.trials() * max, evaluations);
  }

  /**
   * Completed trials as {@code trials} counts them: one each, or with {@code fidelity:} the
   * full-fidelity-equivalent evaluations their samples add up to.
   */
  public double completedEquivalents() {
    if (spec == null || spec.fidelity() == null) {
      return count(Outcome.COMPLETED);
    }
    int max = spec.validation().samplesPerTask();
    return trials.values().stream().filter(t -> t.outcome() == Outcome.COMPLETED)
        .mapToDouble(t -> (double) t.samplesPerTask(max) / max).sum();
  }

  /**
   * Validation samples scored over the whole search, all tasks together, re-scoring included;
   * a completed trial from a journal that did not record them counts the whole validation sample of each task.
   */
  public long evaluatedSamples() {
    long perTrialLegacy = spec == null ? 0 : (long) spec.validation().samplesPerTask() * spec.models().size();
    long sum = 0;
    for (Trial t : trials.values()) {
      if (t.outcome() == Outcome.COMPLETED) {
        sum += t.samples() != null ? t.samples() : perTrialLegacy;
      }
    }
    for (Rescore r : rescored.values()) {
      sum += r.samples() == null ? 0 : r.samples();
    }
    return sum;
  }

  /**
   * Higher fidelity first (a cost on more samples is the one to trust), then lower cost; without
   * {@code fidelity:} every trial has the whole validation sample, so this is the cost.
   */
  private static final java.util.Comparator<Trial> BY_FIDELITY_THEN_COST =
      java.util.Comparator.<Trial>comparingInt(t -> -t.samplesPerTask(Integer.MAX_VALUE))
          .thenComparingDouble(Trial::cost);

  /**
   * The trials the final re-scoring scores again: the spec's {@code rescore} completed trials of
   * lowest search cost (ties: the earlier trial); with {@code objective: pareto} only members of
   * the front compete, so the export is one of them. A pure function of the completed trials, so
   * it stays the same from the end of the budget on, and after any replay.
   */
  public List<Trial> rescoreCandidates() {
    return selectable().stream()
        .filter(t -> !superseded(t))
        .sorted(BY_FIDELITY_THEN_COST.thenComparingInt(Trial::id))
        .limit(spec.rescore())
        .toList();
  }

  /** The completed trials the export may pick from: all of them, or the Pareto front. */
  private List<Trial> selectable() {
    return spec.pareto() ? paretoFront() : trials.values().stream().filter(t -> t.outcome() == Outcome.COMPLETED).toList();
  }

  /**
   * The completed trials no other completed trial dominates on the per-task costs (validation),
   * in trial order; trials without per-task costs (other objectives, older journals) take no part.
   */
  public List<Trial> paretoFront() {
    List<Trial> scored = trials.values().stream()
        .filter(t -> t.outcome() == Outcome.COMPLETED && t.taskCosts() != null)
        .toList();
    List<String> tasks = spec.tasks();
    return io.automerge.search.ParetoFront.of(scored, t -> t.taskCostVector(tasks));
  }

  /** A lower rung's evaluation of a configuration that completed a higher rung too (multi-fidelity). */
  private boolean superseded(Trial t) {
    return t.fidelity() != null && trials.values().stream().anyMatch(u -> u.outcome() == Outcome.COMPLETED
        && u.fidelity() != null && u.fidelity().config() == t.fidelity().config() && u.fidelity().rung() > t.fidelity().rung());
  }

  /** Candidates not yet re-scored; empty when re-scoring is off or done. */
  public List<Trial> toRescore() {
    return rescoreCandidates().stream().filter(t -> !rescored.containsKey(t.id())).toList();
  }

  /**
   * The trial to export once the budget is done: the candidate with the lowest whole-split cost
   * (a failed re-score never wins while another succeeded), or without re-scoring the search's best
   * (with {@code objective: pareto}: the front member of lowest search cost).
   */
  public Integer finalBest() {
    return rescoreCandidates().stream()
        .map(t -> rescored.get(t.id()))
        .filter(r -> r != null && r.cost() != null)
        .min(java.util.Comparator.comparingDouble(Rescore::cost).thenComparingInt(Rescore::trial))
        .map(Rescore::trial)
        .orElseGet(() -> spec.pareto()
            ? selectable().stream().min(java.util.Comparator.comparingDouble(Trial::cost).thenComparingInt(Trial::id))
                .map(Trial::id).orElse(bestTrial)
            : bestTrial);
  }

}
