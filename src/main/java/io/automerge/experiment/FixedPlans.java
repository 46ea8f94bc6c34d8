package io.automerge.experiment;

import io.automerge.InvalidInputException;
import io.automerge.search.BlockChoice;
import io.automerge.search.FixedChoices;
import io.automerge.merge.MergeMethods;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's fixed settings (section 4.2–4.3): RQ1 runs every registered technique once at the
 * LLM settings (equal weights, density 0.65, each other searched parameter at its declared start:
 * {@link FixedChoices#all}); RQ2 sweeps the weight (and density) of the paper's techniques
 * on a grid for a pair.
 */
public final class FixedPlans {
  /** The paper's techniques with one knob (weight): swept 0…1 in steps of 0.1. */
  public static final List<String> WEIGHT_ONLY = MergeMethods.paperNames().stream().filter(t -> !searchesDensity(t)).toList();
  /** The paper's techniques with two knobs: weight 0…1 step 0.2 × density 0.5…1 step 0.1. */
  public static final List<String> WEIGHT_DENSITY = MergeMethods.paperNames().stream().filter(FixedPlans::searchesDensity).toList();

  private FixedPlans() {}

  private static boolean searchesDensity(String technique) {
    return MergeMethods.find(technique).orElseThrow().searchedScalars().stream()
        .anyMatch(p -> p.name().equals(BlockChoice.DENSITY));
  }

  /** Every technique usable with this many models, at its fixed choice (weight 1/N each, density 0.65, ...). */
  public static List<FixedPlan> rq1(int models) {
    return FixedChoices.all(models).stream().map(choice -> new FixedPlan(FixedPlan.RQ1, choice)).toList();
  }

  /** The sensitivity grid; only defined for two models, where one weight w gives [w, 1 − w]. */
  public static List<FixedPlan> rq2(int models) {
    if (models != 2) {
      throw new InvalidInputException("--rq 2: the weight grid is defined for two source models (the spec has " + models + ")");
    }
    List<FixedPlan> plans = new ArrayList<>();
    for (String technique : WEIGHT_ONLY) {
      for (int w = 0; w <= 10; w++) {
        plans.add(grid(technique, w / 10.0, null));
      }
    }
    for (String technique : WEIGHT_DENSITY) {
      for (int w = 0; w <= 10; w += 2) {
        for (int d = 5; d <= 10; d++) {
          plans.add(grid(technique, w / 10.0, d / 10.0));
        }
      }
    }
    return plans;
  }

  private static FixedPlan grid(String technique, double weight, Double density) {
    return new FixedPlan(FixedPlan.RQ2, new BlockChoice(technique, List.of(weight, 1.0 - weight), density));
  }
}
