package io.automerge.merge;

import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Task Arithmetic on CPU as one fused pass in plain Java: every input is read once straight from
 * its file mapping and the output written once, on all cores, instead of one PyTorch op per term.
 * The operations and their order are exactly those of {@link GeneralizedTaskArithmetic} (each
 * rounded to float32, no fused multiply-add), so the bytes are identical; a test holds both paths
 * to that. Used by {@link MergeEngine} only where that holds: float32 in and out, no normalizing.
 */
final class CpuTaskArithmetic {
  private static final int SLICE = 16 * 1024; // floats per step: a few slices stay in L1/L2

  private CpuTaskArithmetic() {}

  static boolean applies(BlockRecipe block, MergePlan plan, MergePlan.Item item) {
    if (block.method() != GeneralizedTaskArithmetic.TASK_ARITHMETIC || block.params().flag("normalize")) {
      return false;
    }
    if (plan.base() == null || item.output().dtype() != DType.F32 || !float32(plan.base(), item.name())) {
      return false;
    }
    return plan.sources().stream().allMatch(s -> float32(s, item.name()));
  }

  private static boolean float32(Checkpoint checkpoint, String name) {
    TensorInfo info = checkpoint.info(name);
    return info.dtype() == DType.F32 && info.numel() <= Integer.MAX_VALUE;
  }

  /** base + lambda * sum_i (w_i * (theta_i - base)) into {@code out} (little-endian float32). */
  static ByteBuffer merge(MergePlan plan, MergePlan.Item item, ResolvedParams params, ByteBuffer out) {
    String name = item.name();
    int n = (int) plan.base().info(name).numel();
    FloatBuffer base = floats(plan.base().bytes(name));
    List<FloatBuffer> sources = plan.sources().stream().map(s -> floats(s.bytes(name))).toList();
    double[] weights = params.values("weight");
    float lambda = (float) params.number("lambda");
    FloatBuffer result = out.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / SLICE));
    IntStream.range(0, parts).parallel().forEach(part -> {
      float[] b = new float[SLICE];
      float[] s = new float[SLICE];
      float[] acc = new float[SLICE];
      long from = (long) n * part / parts;
      long to = (long) n * (part + 1) / parts;
      for (int start = (int) from; start < to; start += SLICE) {
        int len = (int) Math.min(SLICE, to - start);
        base.get(start, b, 0, len);
        for (int i = 0; i < sources.size(); i++) {
          sources.get(i).get(start, s, 0, len);
          float w = (float) weights[i];
          if (i == 0) {
            for (int j = 0; j < len; j++) {
              acc[j] = (s[j] - b[j]) * w;
            }
          } else {
            for (int j = 0; j < len; j++) {
              acc[j] = acc[j] + (s[j] - b[j]) * w;
            }
          }
        }
        if (lambda != 1f) {
          for (int j = 0; j < len; j++) {
            acc[j] = acc[j] * lambda;
          }
        }
        for (int j = 0; j < len; j++) {
          acc[j] = acc[j] + b[j];
        }
        result.put(start, acc, 0, len);
      }
    });
    return out.limit(n * 4).position(0);
  }

  private static FloatBuffer floats(ByteBuffer bytes) {
    return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
