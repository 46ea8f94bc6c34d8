package io.automerge.merge;

import ai.djl.ndarray.types.Shape;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.FloatBits;
import io.automerge.tensor.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The file-to-file fast path of {@link MergeEngine} on CPU, and a CPU search worker's path into
 * its float32 resident model: a technique's {@link HostKernel} reads the inputs straight from
 * their file mappings (F32 as stored, BF16/F16 widened slice by slice as read) and writes float32
 * into one buffer the caller owns. No tensor is created and no input is copied, so the memory of a
 * merge does not grow with the number of sources. The bytes are those of the NDArray path, which
 * runs the same kernel on float32 copies of the same values (a test holds the two to that).
 */
final class HostMerge {
  private HostMerge() {}

  /**
   * A host pass for these parameters, inputs it reads as they are stored (F32, BF16 or F16, none
   * that the recipe's compute dtype would round first) and an output dtype it encodes.
   */
  static boolean applies(MergeRecipe recipe, MergePlan plan, MergePlan.Item item) {
    BlockRecipe block = item.block();
    if (!(block.method() instanceof HostKernel kernel) || !kernel.hostPass(block.params())) {
      return false;
    }
    if (!FloatInput.decodes(item.output().dtype())) {
      return false;
    }
    DType compute = recipe.computeDtype().orElse(DType.F32);
    if (block.method().needsBase() && (plan.base() == null || !readsAsStored(plan.base(), item.name(), compute))) {
      return false;
    }
    return plan.sources().stream().allMatch(s -> readsAsStored(s, item.name(), compute));
  }

  /** As {@link TensorMerger} loads an input: rounded to the compute dtype only when stored otherwise and compute is not F32. */
  private static boolean readsAsStored(Checkpoint checkpoint, String name, DType compute) {
    TensorInfo info = checkpoint.info(name);
    return FloatInput.decodes(info.dtype()) && (compute == DType.F32 || compute == info.dtype())
        && info.numel() <= Integer.MAX_VALUE - 8;
  }

  /** Bytes of the float32 buffer {@link #merge} needs for the item. */
  static long scratchBytes(MergePlan.Item item) {
    return Math.multiplyExact(item.output().numel(), 4L);
  }

  /**
   * The merged tensor in its output dtype: computed as float32 into {@code out} (capacity at least
   * {@link #scratchBytes}), then narrowed in place when the output is 16-bit. Little-endian bytes of
   * {@code out}, positioned at 0.
   */
  static ByteBuffer merge(MergePlan plan, MergePlan.Item item, MaskKey key, ByteBuffer out) {
    ByteBuffer le = out.order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = le.asFloatBuffer();
    mergeFloat32(plan, item, key, floats);
    int n = Math.toIntExact(item.output().numel());
    DType dtype = item.output().dtype();
    if (dtype != DType.F32) {
      // Front to back: element i's two bytes land on float i/2, which was already read.
      for (int i = 0; i < n; i++) {
        le.putShort(2 * i, narrow(floats.get(i), dtype));
      }
    }
    return le.limit(Math.toIntExact(item.output().byteSize())).position(0);
  }

  /**
   * The merged tensor as {@link #merge} encodes it, widened back to float32 into {@code target}
   * (a float32 model parameter's own memory): the values a decode of the merge's output gives.
   */
  static void mergeInto(MergePlan plan, MergePlan.Item item, MaskKey key, FloatBuffer target) {
    mergeFloat32(plan, item, key, target);
    DType dtype = item.output().dtype();
    if (dtype != DType.F32) {
      int n = Math.toIntExact(item.output().numel());
      Parts.of(n, 1).forEach((part, from, to) -> {
        for (int i = from; i < to; i++) {
          target.put(i, widen(narrow(target.get(i), dtype), dtype));
        }
      });
    }
  }

  private static void mergeFloat32(MergePlan plan, MergePlan.Item item, MaskKey key, FloatBuffer out) {
    BlockRecipe block = item.block();
    String name = item.name();
    FloatInput base = block.method().needsBase() ? input(plan.base(), name) : null;
    FloatInput[] sources = new FloatInput[plan.sources().size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = input(plan.sources().get(i), name);
    }
    Shape shape = new Shape(item.output().shape());
    ((HostKernel) block.method()).mergeOnHost(base, sources, shape, block.params(), key, out);
  }

  private static FloatInput input(Checkpoint checkpoint, String name) {
    return FloatInput.decoding(checkpoint.bytes(name), checkpoint.info(name).dtype());
  }

  /** As {@link io.automerge.tensor.Tensors#encode} narrows (its F16 is PyTorch's, which FloatBits matches). */
  private static short narrow(float value, DType dtype) {
    return dtype == DType.BF16 ? FloatBits.floatToBf16(value) : FloatBits.floatToHalf(value);
  }

  private static float widen(short bits, DType dtype) {
    return dtype == DType.BF16 ? FloatBits.bf16ToFloat(bits) : FloatBits.halfToFloat(bits);
  }
}
