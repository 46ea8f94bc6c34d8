package io.automerge.merge;

import io.automerge.InvalidInputException;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every output tensor with its block and output dtype, decided and checked before anything is
 * written: a tensor no block matches, a tensor missing from a model, or a shape that differs
 * between models fails here, naming the tensor and the file.
 *
 * @param reference the checkpoint that defines the tensors (base, else first model)
 * @param sources the source checkpoints, in recipe order
 * @param tensors in the reference's order
 */
record MergePlan(Checkpoint reference, Checkpoint base, List<Checkpoint> sources, List<Item> tensors) {

  /** One output tensor: merged by {@code block}, or copied from the reference when not float. */
  record Item(String name, BlockRecipe block, TensorSpec output, boolean merged) {}

  static MergePlan of(MergeRecipe recipe, Checkpoint base, List<Checkpoint> sources) {
    Checkpoint reference = base != null ? base : sources.get(0);
    List<Pattern> patterns = recipe.blocks().stream().map(BlockRecipe::pattern).toList();
    List<Item> items = new ArrayList<>();
    for (String name : reference.names()) {
      TensorInfo ref = reference.info(name);
      int block = 0;
      while (block < patterns.size() && !patterns.get(block).matcher(name).find()) {
        block++;
      }
      if (block == patterns.size()) {
        throw new InvalidInputException("tensor \"" + name + "\" (in " + reference.root()
            + ") is matched by no block; add a last block with tensors: '.*'");
      }
      if (!ref.dtype().isFloat()) {
        items.add(new Item(name, recipe.blocks().get(block), ref.spec(), false));
        continue;
      }
      for (Checkpoint source : sources) {
        check(source, ref);
      }
      DType out = recipe.dtype().orElse(ref.dtype());
      items.add(new Item(name, recipe.blocks().get(block), new TensorSpec(name, out, ref.shape()), true));
    }
    return new MergePlan(reference, base, sources, List.copyOf(items));
  }

  private static void check(Checkpoint source, TensorInfo ref) {
    if (!source.contains(ref.name())) {
      throw new InvalidInputException(source.root() + ": tensor \"" + ref.name()
          + "\" is missing (the reference model has it)");
    }
    TensorInfo info = source.info(ref.name());
    if (!Arrays.equals(info.shape(), ref.shape())) {
      throw new InvalidInputException(source.root() + ": tensor \"" + ref.name() + "\" has shape "
          + Arrays.toString(info.shape()) + ", the reference model has " + Arrays.toString(ref.shape()));
    }
    if (!info.dtype().isFloat()) {
      throw new InvalidInputException(source.root() + ": tensor \"" + ref.name() + "\" is "
          + info.dtype() + ", the reference model's is " + ref.dtype() + " (float)");
    }
  }

  long outputBytes() {
    return tensors.stream().mapToLong(item -> item.output().byteSize()).sum();
  }

  List<TensorSpec> specs() {
    return tensors.stream().map(Item::output).toList();
  }
}
