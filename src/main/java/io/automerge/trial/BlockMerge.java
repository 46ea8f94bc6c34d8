package io.automerge.trial;

import io.automerge.InvalidInputException;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.ParameterResolver;
import io.automerge.merge.ResolvedParams;
import io.automerge.search.BlockChoice;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import java.util.ArrayList;
import java.util.List;

/**
 * One block of a trial, resolved exactly as a recipe block with the same technique and
 * parameters is ({@link ParameterResolver}, defaults included), so a resident trial and
 * {@code automerge merge} of the exported recipe compute the same tensors.
 */
public record BlockMerge(String block, List<String> tensors, MergeMethod method, ResolvedParams params) {
  public BlockMerge {
    tensors = List.copyOf(tensors);
  }

  public static BlockMerge of(String block, List<String> tensors, BlockChoice choice, int models) {
    MergeMethod method = MergeMethods.find(choice.technique()).orElseThrow(() -> new InvalidInputException(
        "plan block " + block + ": unknown merge method \"" + choice.technique() + "\" (known: " + MergeMethods.names() + ")"));
    ResolvedParams params = ParameterResolver.resolve(method, choice.toRecipeParameters(), java.util.Map.of(), models,
        "plan.blocks." + block + ".parameters");
    return new BlockMerge(block, tensors, method, params);
  }

  /** Every block of the segmentation with the plan's choice for it. */
  public static List<BlockMerge> of(Segmentation segmentation, TrialPlan plan, int models) {
    List<BlockMerge> out = new ArrayList<>();
    for (Segment segment : segmentation.blocks()) {
      out.add(of(segment.name(), segment.tensors(), plan.block(segment.name()), models));
    }
    return out;
  }
}
