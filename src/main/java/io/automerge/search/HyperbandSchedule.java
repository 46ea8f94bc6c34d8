package io.automerge.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which evaluation a multi-fidelity search runs next, as a pure function of the evaluations so far
 * (so a replayed journal, after kill -9 in the middle of a bracket, goes on exactly where it was).
 *
 * <p>Brackets are opened in order; bracket instance k has shape b = k mod brackets and starts
 * n = ceil((s_max + 1) / (s + 1) · eta^s) new configurations (s = s_max − b) at rung b; each later
 * rung takes the best floor(n / eta^j) of the rung below by rank of their costs, once every
 * evaluation of that rung is done. Equal costs are common on the low rungs of a metric objective
 * (accuracy over 56 samples moves in steps of 1/56): they are ranked by the evaluations'
 * tie-breaks (lower first; the geometric mean of the task losses, which sees the same samples
 * finer), then by the earlier trial. A bracket that waits for running evaluations
 * lets the next one start, so parallel workers stay busy. Every evaluation counts its samples
 * against the budget; what does not fit is not started.
 */
public final class HyperbandSchedule {
  private HyperbandSchedule() {}

  public enum Status { PENDING, COMPLETED, FAILED }

  /**
   * One evaluation so far: its trial, rung, status, (completed) cost and tie-break (null: none,
   * ranked after those with one).
   */
  public record Evaluation(int trial, FidelityRung rung, Status status, Double cost, Double tieBreak) {
    public Evaluation(int trial, FidelityRung rung, Status status, Double cost) {
      this(trial, rung, status, cost, null);
    }
  }

  /**
   * An evaluation's tie-break from its task losses: their geometric mean, which orders equal-cost
   * evaluations by how well they fit the same samples whatever each task's loss scale; null
   * without losses (or with a loss that is not positive and finite).
   */
  public static Double tieBreak(Map<String, Double> losses) {
    if (losses == null || losses.isEmpty()) {
      return null;
    }
    double logs = 0;
    for (double loss : losses.values()) {
      if (!(loss > 0) || Double.isInfinite(loss)) {
        return null;
      }
      logs += Math.log(loss);
    }
    return Math.exp(logs / losses.size());
  }

  /** Promotion order: cost, then tie-break, then the earlier trial. */
  private static final Comparator<Evaluation> RANK = Comparator.comparingDouble(Evaluation::cost)
      .thenComparing(Evaluation::tieBreak, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparingInt(Evaluation::trial);

  public sealed interface Next {}

  /** Evaluate a new configuration (config = the new trial) at this bracket and rung. */
  public record Start(int bracket, int rung, int samples) implements Next {}

  /** Evaluate {@code config}'s plan again, one rung higher. */
  public record Promote(int bracket, int rung, int samples, int config) implements Next {}

  /** Nothing can start until a running evaluation ends. */
  public record Wait() implements Next {}

  /** The budget is spent (nothing runs and nothing more fits). */
  public record Done() implements Next {}

  /**
   * @param maxSamples R, the search's validation samples per task
   * @param budgetSamples samples per task all evaluations together may use
   */
  public static Next next(Fidelity fidelity, int maxSamples, long budgetSamples, List<Evaluation> evaluations) {
    long spent = evaluations.stream().mapToLong(e -> e.rung().samples()).sum();
    boolean running = evaluations.stream().anyMatch(e -> e.status() == Status.PENDING);
    int[] rungs = fidelity.rungs(maxSamples);
    int brackets = fidelity.bracketCount(maxSamples);
    for (int k = 0; ; k++) {
      Next step = inBracket(k, k % brackets, rungs, fidelity.eta(), evaluations);
      if (step == null) {
        continue; // complete, or waiting for its running evaluations
      }
      int samples = step instanceof Start s ? s.samples() : ((Promote) step).samples();
      if (spent + samples > budgetSamples) {
        return running ? new Wait() : new Done();
      }
      return step;
    }
  }

  /** Configurations bracket shape {@code b} starts with, and how many each of its rungs keeps. */
  public static int[] rungSizes(int b, int stages, int eta) {
    int s = stages - b;
    int n = (int) Math.ceil((double) (stages + 1) / (s + 1) * Math.pow(eta, s));
    int[] sizes = new int[s + 1];
    for (int j = 0; j <= s; j++) {
      sizes[j] = Math.max(1, (int) Math.floor(n / Math.pow(eta, j)));
    }
    return sizes;
  }

  /** The next evaluation of bracket instance {@code k}, or null when it has none to give now. */
  private static Next inBracket(int k, int b, int[] rungs, int eta, List<Evaluation> evaluations) {
    int[] sizes = rungSizes(b, rungs.length - 1, eta);
    List<Evaluation> below = null;
    for (int j = 0; j < sizes.length; j++) {
      int rung = b + j;
      List<Evaluation> here = evaluations.stream()
          .filter(e -> e.rung().bracket() == k && e.rung().rung() == rung).toList();
      if (below == null) {
        if (here.size() < sizes[j]) {
          return new Start(k, rung, rungs[rung]);
        }
      } else if (here.size() < sizes[j]) {
        if (below.stream().anyMatch(e -> e.status() == Status.PENDING)) {
          return null; // promotions wait for the whole rung below
        }
        Set<Integer> promoted = new HashSet<>();
        here.forEach(e -> promoted.add(e.rung().config()));
        List<Evaluation> ranked = new ArrayList<>(below.stream().filter(e -> e.status() == Status.COMPLETED).toList());
        ranked.sort(RANK);
        for (Evaluation e : ranked.subList(0, Math.min(sizes[j], ranked.size()))) {
          if (!promoted.contains(e.rung().config())) {
            return new Promote(k, rung, rungs[rung], e.rung().config());
          }
        }
        // fewer completed below than this rung keeps (failures): the rung is as full as it gets
      }
      below = here;
    }
    return null;
  }
}
