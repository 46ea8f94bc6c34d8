package io.automerge.export;

import io.automerge.merge.MergeRecipe;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders a trial plan as the merge recipe that reproduces it: one recipe block per segment. */
public final class PlanRecipe {
  /** Name of the trailing block that keeps checkpoint tensors no segment owns as the base has them. */
  public static final String UNSEGMENTED = "unsegmented";

  private PlanRecipe() {}

  /**
   * @param checkpointTensors every tensor of the base checkpoint; any that no segment owns (a
   *     buffer the architecture does not declare) gets a last block {@code .*} with task
   *     arithmetic at weight 0, which writes the base's values
   */
  public static MergeRecipe of(SearchSpec spec, Segmentation segmentation, TrialPlan plan, Collection<String> checkpointTensors) {
    MergeRecipe.Builder recipe = MergeRecipe.builder()
        .baseModel(Path.of(spec.baseModel()))
        .models(spec.models().stream().map(m -> Path.of(m.path())).toList())
        .seed(spec.seed());
    Set<String> owned = new HashSet<>();
    for (Segment segment : segmentation.blocks()) {
      BlockChoice choice = plan.block(segment.name());
      recipe.block(segment.name(), segment.pattern(), choice.technique(), choice.toRecipeParameters());
      owned.addAll(segment.tensors());
    }
    if (!owned.containsAll(checkpointTensors)) {
      Map<String, Object> keepBase = new LinkedHashMap<>();
      keepBase.put("weights", java.util.Collections.nCopies(spec.models().size(), 0.0));
      recipe.block(UNSEGMENTED, ".*", "task_arithmetic", keepBase);
    }
    return recipe.build();
  }

  /** One technique on every tensor of the spec's models (the fixed-technique baselines, RQ1/RQ2). */
  public static MergeRecipe wholeModel(SearchSpec spec, BlockChoice choice) {
    return MergeRecipe.builder()
        .baseModel(Path.of(spec.baseModel()))
        .models(spec.models().stream().map(m -> Path.of(m.path())).toList())
        .seed(spec.seed())
        .block("all", ".*", choice.technique(), choice.toRecipeParameters())
        .build();
  }
}
