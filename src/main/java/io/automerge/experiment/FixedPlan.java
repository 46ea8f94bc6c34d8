package io.automerge.experiment;

import io.automerge.search.BlockChoice;
import java.util.Locale;

/**
 * One hand-picked setting the paper compares against: a technique with fixed weight and density
 * applied to the whole model. {@code question} says which research question asked for it.
 */
public record FixedPlan(String question, BlockChoice choice) {
  public static final String RQ1 = "rq1";
  public static final String RQ2 = "rq2";

  public String technique() {
    return choice.technique();
  }

  /** The first model's weight (for a pair the second gets 1 − w). */
  public double weight() {
    return choice.weights().get(0);
  }

  /** "rq2 ties w=0.40 d=0.70"; a parameter other than the density follows by name ("rq1 slerp w=0.50 t=0.50"). */
  public String label() {
    StringBuilder others = new StringBuilder();
    choice.parameters().forEach((name, value) -> {
      if (!name.equals(BlockChoice.DENSITY)) {
        others.append(String.format(Locale.ROOT, " %s=%.2f", name, value));
      }
    });
    return String.format(Locale.ROOT, "%s %s w=%.2f%s%s", question, technique(), weight(),
        choice.density() == null ? "" : String.format(Locale.ROOT, " d=%.2f", choice.density()), others);
  }
}
