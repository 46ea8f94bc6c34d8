package io.automerge.merge;

import ai.djl.ndarray.types.Shape;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The file-to-file fast path of {@link MergeEngine} on CPU: a technique's {@link HostKernel} reads
 * float32 inputs straight from their file mappings and writes into one output buffer the engine
 * reuses. No tensor is created, so no fresh native allocation is page-faulted in per tensor and no
 * whole-tensor read-ahead pass runs before the work. The bytes are those of the NDArray path,
 * which runs the same kernel (a test holds the two to that).
 */
final class HostMerge {
  private HostMerge() {}

  /** Float32 in (as stored and as computed), float32 out, and a host pass for these parameters. */
  static boolean applies(MergeRecipe recipe, MergePlan plan, MergePlan.Item item) {
    BlockRecipe block = item.block();
    if (!(block.method() instanceof HostKernel kernel) || !kernel.hostPass(block.params())) {
      return false;
    }
    if (recipe.computeDtype().orElse(DType.F32) != DType.F32 || item.output().dtype() != DType.F32) {
      return false;
    }
    if (block.method().needsBase() && (plan.base() == null || !float32(plan.base(), item.name()))) {
      return false;
    }
    return plan.sources().stream().allMatch(s -> float32(s, item.name()));
  }

  private static boolean float32(Checkpoint checkpoint, String name) {
    TensorInfo info = checkpoint.info(name);
    return info.dtype() == DType.F32 && info.numel() <= Integer.MAX_VALUE - 8;
  }

  /** The merged tensor as little-endian float32 bytes of {@code out} (capacity at least its size). */
  static ByteBuffer merge(MergePlan plan, MergePlan.Item item, MaskKey key, ByteBuffer out) {
    BlockRecipe block = item.block();
    String name = item.name();
    FloatBuffer base = block.method().needsBase() ? floats(plan.base().bytes(name)) : null;
    FloatBuffer[] sources = new FloatBuffer[plan.sources().size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = floats(plan.sources().get(i).bytes(name));
    }
    Shape shape = new Shape(item.output().shape());
    ((HostKernel) block.method()).mergeOnHost(base, sources, shape, block.params(), key,
        out.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
    return out.limit(Math.toIntExact(item.output().byteSize())).position(0);
  }

  private static FloatBuffer floats(ByteBuffer bytes) {
    return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
