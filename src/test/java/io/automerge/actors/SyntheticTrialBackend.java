package io.automerge.actors;

import ai.djl.Device;
import io.automerge.eval.TaskScore;
import io.automerge.export.SearchOutcome;
import io.automerge.search.SearchSpec;
import io.automerge.search.SyntheticObjective;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import io.automerge.trial.TrialBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A cheap backend for behaviour tests of the actors: three fixed blocks and the search package's
 * synthetic objective as "loss" of both tasks (so the cost equals the synthetic cost). It can be
 * told to fail given (worker, plan) pairs, the fault the retry path exists for.
 */
final class SyntheticTrialBackend implements TrialBackend {
  static final Segmentation SEGMENTATION = new Segmentation("shape", List.of(
      new Segment("tokenizer", 4, 10, List.of("tokenizer"), List.of("tokenizer.w")),
      new Segment("encoder", 3, 20, List.of("encoder"), List.of("encoder.w")),
      new Segment("head", 2, 5, List.of("head"), List.of("head.w"))));

  /** One apply: which session (= worker) ran which plan, and whether it was made to fail. */
  record Call(int session, TrialPlan plan, boolean failed) {}

  final AtomicInteger opened = new AtomicInteger();
  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final Set<String> exportedTo = ConcurrentHashMap.newKeySet();
  /** Given the 1-based number of the apply call and the plan: fail it? */
  volatile BiPredicate<Integer, TrialPlan> failWhen = (n, p) -> false;
  volatile boolean failSegmentation;
  /** What the whole val split adds to a plan's synthetic loss (0: it scores as the sample does). */
  volatile java.util.function.ToDoubleFunction<TrialPlan> fullValidationShift = p -> 0;
  /** Plans scored on the whole val split, in order. */
  final List<TrialPlan> rescoredPlans = Collections.synchronizedList(new ArrayList<>());
  /** Samples per task of every multi-fidelity evaluation, in order. */
  final List<Integer> rungSamples = Collections.synchronizedList(new ArrayList<>());
  /** The whole val split per task, as {@link Session#samplesScored} counts it. */
  static final int FULL_SPLIT = 5000;

  @Override
  public Segmentation segment(SearchSpec spec) {
    if (failSegmentation) {
      throw new IllegalStateException("cannot trace " + spec.baseModel());
    }
    return SEGMENTATION;
  }

  @Override
  public Session open(SearchSpec spec, Segmentation segmentation, Device device) {
    int session = opened.incrementAndGet();
    SyntheticObjective objective = new SyntheticObjective(spec.space(segmentation.blockNames()));
    return new Session() {
      private TrialPlan plan;

      @Override
      public Map<String, TaskScore> sourceScores(boolean fullValidation) {
        Map<String, TaskScore> scores = new LinkedHashMap<>();
        spec.tasks().forEach(t -> scores.put(t, new TaskScore(1.0, Map.of(), Math.log(10))));
        return scores;
      }

      @Override
      public void apply(TrialPlan plan) {
        synchronized (calls) {
          boolean fail = failWhen.test(calls.size() + 1, plan);
          calls.add(new Call(session, plan, fail));
          if (fail) {
            throw new IllegalStateException("device lost");
          }
        }
        this.plan = plan;
      }

      @Override
      public Map<String, TaskScore> scores(boolean fullValidation) {
        double cost = objective.cost(plan) + (fullValidation ? fullValidationShift.applyAsDouble(plan) : 0);
        if (fullValidation) {
          rescoredPlans.add(plan);
        }
        Map<String, TaskScore> scores = new LinkedHashMap<>();
        spec.tasks().forEach(t -> scores.put(t, new TaskScore(cost, Map.of(), Math.log(10))));
        return scores;
      }

      @Override
      public Map<String, TaskScore> sourceScores(int samples) {
        return sourceScores(false);
      }

      /** A rung scores the plan with a deterministic error that shrinks as the samples grow. */
      @Override
      public Map<String, TaskScore> scores(int samples) {
        rungSamples.add(samples);
        double error = (Math.floorMod(plan.hashCode(), 1000) / 1000.0 - 0.5) * 0.2 * (1 - (double) samples / spec.validation().samplesPerTask());
        double cost = objective.cost(plan) + error;
        Map<String, TaskScore> scores = new LinkedHashMap<>();
        spec.tasks().forEach(t -> scores.put(t, new TaskScore(cost, Map.of(), Math.log(10))));
        return scores;
      }

      @Override
      public long samplesScored(boolean fullValidation, Integer samples) {
        int perTask = fullValidation ? FULL_SPLIT : samples == null ? spec.validation().samplesPerTask() : samples;
        return (long) perTask * spec.tasks().size();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ExportResult export(SearchOutcome outcome) {
    exportedTo.add(outcome.spec().output());
    return new ExportResult(outcome.spec().output(), "sha-of-trial-" + outcome.bestTrial(),
        Map.of("best_trial", outcome.bestTrial(), "trials", outcome.trials().size()), List.of());
  }

  long succeededCalls() {
    synchronized (calls) {
      return calls.stream().filter(c -> !c.failed()).count();
    }
  }
}
