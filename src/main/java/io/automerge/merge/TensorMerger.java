package io.automerge.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import java.nio.ByteBuffer;

/**
 * One merged tensor of a recipe, computed from the plan's checkpoints and encoded in its output
 * dtype: the single definition of the bytes {@link MergeEngine} writes, which a search worker
 * streams into its resident model ({@link StreamedMerge}), so both agree bit for bit.
 */
final class TensorMerger {
  private final MergeRecipe recipe;
  private final Device device;

  TensorMerger(MergeRecipe recipe, Device device) {
    this.recipe = recipe;
    this.device = device;
  }

  /**
   * The merged item's bytes in {@code item.output().dtype()}, little-endian. They stay valid until
   * {@code scope} closes or the next call, whichever comes first; every array lives in {@code scope}.
   */
  ByteBuffer encoded(NDManager scope, MergePlan plan, MergePlan.Item item) {
    if (onHost(plan, item)) {
      // The output lives in an array of the scope (engine memory, freed with it), not a direct buffer.
      NDArray output = scope.create(new ai.djl.ndarray.types.Shape(item.output().shape()), ai.djl.ndarray.types.DataType.FLOAT32);
      return onHost(plan, item, HostBuffers.view(output)); // float32-sized: a 16-bit output is narrowed in place
    }
    return TensorIO.encode(merged(scope, plan, item), item.output().dtype());
  }

  /** Whether the item is merged by a host kernel straight from the mapped files (CPU; F32, BF16, F16 in and out). */
  boolean onHost(MergePlan plan, MergePlan.Item item) {
    return Devices.isCpu(device) && HostMerge.applies(recipe, plan, item);
  }

  /**
   * The host kernel's bytes for an item {@link #onHost} covers, written into {@code output}
   * (capacity at least {@link HostMerge#scratchBytes}).
   */
  ByteBuffer onHost(MergePlan plan, MergePlan.Item item, ByteBuffer output) {
    return HostMerge.merge(plan, item, new MaskKey(recipe.seed(), item.name()), output);
  }

  /**
   * For an item {@link #onHost} covers: its bytes as {@link #encoded} gives them, decoded to
   * float32 straight into {@code target} (a float32 parameter's memory), with no buffer of its size.
   */
  void intoFloat32(MergePlan plan, MergePlan.Item item, java.nio.FloatBuffer target) {
    HostMerge.mergeInto(plan, item, new MaskKey(recipe.seed(), item.name()), target);
  }

  /** The per-tensor step: float32 inputs loaded from the mapped files while the technique needs them. */
  private NDArray merged(NDManager scope, MergePlan plan, MergePlan.Item item) {
    BlockRecipe block = item.block();
    NDArray base = plan.base() == null || !block.method().needsBase()
        ? null : loadInput(scope, plan.base(), item.name());
    Sources sources = new Sources() {
      @Override
      public int size() {
        return plan.sources().size();
      }

      @Override
      public NDArray load(int index, NDManager loadScope) {
        return loadInput(loadScope, plan.sources().get(index), item.name());
      }
    };
    return block.method().merge(scope, base, sources, block.params(), new MaskKey(recipe.seed(), item.name()));
  }

  /** An input as float32, first rounded to the recipe's compute dtype when it is stored wider. */
  private NDArray loadInput(NDManager scope, Checkpoint checkpoint, String name) {
    NDArray values = TensorIO.loadFloat32(scope, checkpoint, name);
    DType compute = recipe.computeDtype().orElse(null);
    DType stored = checkpoint.info(name).dtype();
    if (compute == null || compute == stored || compute == DType.F32) {
      return values;
    }
    return TensorIO.rounded(scope, values, compute);
  }
}
