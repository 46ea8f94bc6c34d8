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

  public String label() {
    return String.format(Locale.ROOT, "%s %s w=%.2f%s", question, technique(), weight(),
        choice.density() == null ? "" : String.format(Locale.ROOT, " d=%.2f", choice.density()));
  }
}
