package io.automerge.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The search's cost of a merged model M, lower is better, from its validation scores and those of
 * each task's source model S_t. A NaN or infinite loss fails the trial.
 *
 * <ul>
 *   <li>{@code harmonic} (the paper's): (1/T) Σ_t L(M; D_t) / L(S_t; D_t), the reciprocal of the
 *       harmonic mean of the approximate preservation rates L(S_t)/L(M). A ratio grows fastest for
 *       the task whose source loss is smallest, so that task dominates the mean.
 *   <li>{@code worst}: max_t L(M)/L(S_t); the mean can be lowered by trading one task for another,
 *       the worst ratio only by keeping every task.
 *   <li>{@code metrics}: 1 − mean_t PR_t / 100 (+ {@code pdPenalty} · PD / 100), with PR_t the
 *       preservation rate of the task's own metrics on the validation examples, computed exactly
 *       as the report computes test PR ({@link Preservation#rate}). It optimizes what is judged.
 *   <li>{@code loss_gap}: (1/T) Σ_t (L(M) − L(S_t)) / (ln K_t − L(S_t)): how much of the distance
 *       between the source and the uniform predictor over the K_t outputs the merge gives up. The
 *       denominator stays near ln K_t when the source loss is near zero, so no task explodes.
 * </ul>
 *
 * <p>Each cost is made of one term per task ({@link Score#taskCosts}): L(M)/L(S_t), 1 − PR_t/100 or
 * the loss gap. A search with {@code objective: pareto} takes those terms as its objectives and
 * one of the names above ({@code select}) as the cost that picks the exported member.
 */
public final class Objective {
  public static final String HARMONIC = "harmonic";
  public static final String WORST = "worst";
  public static final String METRICS = "metrics";
  public static final String LOSS_GAP = "loss_gap";
  public static final List<String> NAMES = List.of(HARMONIC, WORST, METRICS, LOSS_GAP);
  /** Not a cost of its own: every task's term is an objective (a search spec's {@code objective: pareto}). */
  public static final String PARETO = "pareto";

  private Objective() {}

  /** @param taskCosts each task's term of the cost, lower is better (null when it failed) */
  public record Score(double cost, boolean failed, String reason, Map<String, Double> taskCosts) {
    public Score(double cost, boolean failed, String reason) {
      this(cost, failed, reason, null);
    }

    static Score failure(String reason) {
      return new Score(Double.NaN, true, reason);
    }
  }

  /** The paper's cost (harmonic) from losses alone. */
  public static Score score(Map<String, Double> mergedLosses, Map<String, Double> sourceLosses) {
    return score(mergedLosses, sourceLosses, HARMONIC);
  }

  /** A loss-ratio objective ({@code harmonic} or {@code worst}) from losses alone. */
  public static Score score(Map<String, Double> mergedLosses, Map<String, Double> sourceLosses, String objective) {
    if (!objective.equals(HARMONIC) && !objective.equals(WORST)) {
      throw new IllegalArgumentException(objective + " needs metrics and reference losses, not just losses");
    }
    Map<String, TaskScore> merged = new java.util.LinkedHashMap<>();
    Map<String, TaskScore> sources = new java.util.LinkedHashMap<>();
    mergedLosses.forEach((t, l) -> merged.put(t, new TaskScore(l, Map.of(), Double.NaN)));
    sourceLosses.forEach((t, l) -> sources.put(t, new TaskScore(l, Map.of(), Double.NaN)));
    return score(objective, merged, sources, 0);
  }

  /**
   * The cost of {@code merged} against {@code sources} (one entry per task, keyed by task name).
   *
   * @param pdPenalty weight of the discrepancy PD in the {@code metrics} objective (0: mean PR only)
   */
  public static Score score(String objective, Map<String, TaskScore> merged, Map<String, TaskScore> sources, double pdPenalty) {
    Map<String, Double> taskCosts = new java.util.LinkedHashMap<>();
    List<Double> terms = new ArrayList<>(); // the ratios, gaps or PRs the cost is computed from
    for (Map.Entry<String, TaskScore> source : sources.entrySet()) {
      String task = source.getKey();
      TaskScore m = merged.get(task);
      if (m == null) {
        return Score.failure("no loss for task " + task);
      }
      if (!Double.isFinite(m.loss())) {
        return Score.failure("loss on " + task + " is " + m.loss());
      }
      TaskScore s = source.getValue();
      switch (objective) {
        case HARMONIC, WORST -> terms.add(m.loss() / s.loss());
        case LOSS_GAP -> terms.add((m.loss() - s.loss()) / gapScale(s));
        case METRICS -> {
          double rate;
          try {
            rate = Preservation.rate(m.metrics(), s.metrics(), s.lowerIsBetter());
          } catch (IllegalArgumentException e) {
            return Score.failure("task " + task + ": " + e.getMessage());
          }
          if (!Double.isFinite(rate)) {
            return Score.failure("preservation of " + task + " is " + rate);
          }
          terms.add(rate);
        }
        default -> throw new IllegalArgumentException("unknown objective " + objective + " (known: " + NAMES + ")");
      }
      double term = terms.get(terms.size() - 1);
      taskCosts.put(task, objective.equals(METRICS) ? 1 - term / 100 : term);
    }
    double mean = terms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double cost = switch (objective) {
      case WORST -> terms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      case METRICS -> 1 - mean / 100 + pdPenalty * Preservation.discrepancy(terms) / 100;
      default -> mean;
    };
    return new Score(cost, false, null, taskCosts);
  }

  /**
   * ln K − L(S_t); a source no better than the uniform predictor falls back to ln K itself, and a
   * task with no known K (a command task's own loss) to its source loss, a relative gap.
   */
  private static double gapScale(TaskScore source) {
    if (Double.isNaN(source.uniformLoss())) {
      return Math.max(Math.abs(source.loss()), 1e-6);
    }
    double gap = source.uniformLoss() - source.loss();
    return gap > 1e-6 ? gap : Math.max(source.uniformLoss(), 1e-6);
  }

  /** Approximate preservation per task, AP_t = L(S_t) / L(M). */
  public static double preservation(double mergedLoss, double sourceLoss) {
    return sourceLoss / mergedLoss;
  }
}
