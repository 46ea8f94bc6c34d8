package io.automerge.search;

import io.automerge.InvalidInputException;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.ParameterSpec;
import io.automerge.merge.ParameterSpec.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * Every technique of {@code space} once, with the same choice in every block: its fixed choice
   * moved into the space (free weights into their range, each active scalar at its declared start
   * moved into its searched range, a requested lambda at 1).
   *
   * @param methods the space's techniques' declarations, in the space's order
   */
  static List<TrialPlan> inSpace(SearchSpace space, List<MergeMethod> methods) {
    List<TrialPlan> plans = new ArrayList<>();
    for (int t = 0; t < methods.size(); t++) {
      plans.add(everyBlock(space, inSpace(space, methods.get(t), space.techniques().get(t), space.equalWeights())));
    }
    return plans;
  }

  /**
   * The base model itself as a plan of {@code space}: in every block the first of its techniques
   * that {@link MergeMethod#keepsBaseAtZeroWeights keeps the base at zero weights}, every weight 0.
   * Empty where the space holds no such plan: simplex weights (they sum to 1), a weight range that
   * excludes 0, or no such technique.
   */
  static Optional<TrialPlan> baseInSpace(SearchSpace space, List<MergeMethod> methods) {
    if (!space.freeWeights() || space.weightMin() != 0) {
      return Optional.empty();
    }
    List<Double> zeros = Collections.nCopies(space.models(), 0.0);
    for (int t = 0; t < methods.size(); t++) {
      if (methods.get(t).keepsBaseAtZeroWeights()) {
        return Optional.of(everyBlock(space, inSpace(space, methods.get(t), space.techniques().get(t), zeros)));
      }
    }
    return Optional.empty();
  }

  /** One technique's choice at these weights, each active scalar at its declared start moved into its searched range. */
  private static BlockChoice inSpace(SearchSpace space, MergeMethod method, String technique, List<Double> weights) {
    Map<String, Double> chosen = new LinkedHashMap<>();
    for (ParameterSpec p : method.searchedScalars()) {
      Range range = space.range(technique, p.name());
      if (range != null) {
        chosen.put(p.name(), SearchSpace.clamp(p.search().start(), range.min(), range.max()));
      }
    }
    return new BlockChoice(technique, method.settle(weights, chosen), weights);
  }

  private static TrialPlan everyBlock(SearchSpace space, BlockChoice choice) {
    Map<String, BlockChoice> choices = new LinkedHashMap<>();
    for (String block : space.blocks()) {
      choices.put(block, choice);
    }
    return new TrialPlan(choices);
  }
}
