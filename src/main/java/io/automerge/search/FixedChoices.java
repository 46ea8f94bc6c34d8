package io.automerge.search;

import io.automerge.InvalidInputException;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/** What a user would try by hand: each technique's fixed plan (the paper's RQ1, the report's baselines; a warm start moves them into its space). */
public final class FixedChoices {
  private FixedChoices() {}

  /**
   * The fixed plan of a technique, what a user would try by hand (the paper's RQ1, the report's
   * baselines): weight 1/N per model and each scalar the technique always searches at its declared
   * start ({@link MergeMethod#fixedValues()}; density 0.65), settled by the technique.
   */
  public static BlockChoice of(String technique, int models) {
    MergeMethod method = MergeMethods.find(technique).orElseThrow(
        () -> new InvalidInputException("unknown merge technique '" + technique + "' (known: " + MergeMethods.names() + ")"));
    List<Double> weights = Collections.nCopies(models, 1.0 / models);
    return new BlockChoice(technique, method.settle(weights, new LinkedHashMap<>(method.fixedValues())), weights);
  }

  /** The fixed plan of every registered technique usable with {@code models} source models, in registry order. */
  public static List<BlockChoice> all(int models) {
    return SearchSpec.techniquesFor(models).stream().map(t -> of(t, models)).toList();
  }
}
