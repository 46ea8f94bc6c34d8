package io.automerge.search;

import io.automerge.merge.MergeMethods;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans compared by the model they give, so a search does not evaluate one model twice under two
 * names: a block at weight 0 under a technique that keeps the base there is the base, and is written
 * as the space's base plan's block. Holds that plan: make one per proposal and ask it for every
 * candidate.
 */
final class ModelKeys {
  private final SearchSpace space;
  private final TrialPlan base; // null: no plan of the space is the base

  ModelKeys(SearchSpace space) {
    this.space = space;
    this.base = space.basePlan().orElse(null);
  }

  /** The plan with every block that merges to the base written as the base plan's block. */
  TrialPlan canonical(TrialPlan plan) {
    if (base == null) {
      return plan;
    }
    Map<String, BlockChoice> choices = new LinkedHashMap<>();
    plan.blocks().forEach((block, choice) -> {
      boolean keepsBase = choice.weights().stream().allMatch(w -> w == 0)
          && MergeMethods.find(choice.technique()).map(m -> m.keepsBaseAtZeroWeights()).orElse(false);
      choices.put(block, keepsBase ? base.block(block) : choice);
    });
    return new TrialPlan(choices);
  }

  /** A plan's identity as a model: the encoding of its canonical form, as a list for sets. */
  List<Double> of(TrialPlan plan) {
    return Arrays.stream(space.encode(canonical(plan))).boxed().toList();
  }

  /** A point's identity as a model: that of its decoded plan. */
  List<Double> of(double[] point) {
    return of(space.decode(point));
  }
}
