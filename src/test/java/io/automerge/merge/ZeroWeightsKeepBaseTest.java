package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technique that declares {@link MergeMethod#keepsBaseAtZeroWeights} (the search's "no merge"
 * plan is made of it) merges to the base's values at zero weights, with a lambda, on the engine's
 * host path and on the tensor path, for float32 and BF16 checkpoints: the same bits, except that a
 * -0 of the base may come back as +0.
 */
class ZeroWeightsKeepBaseTest {
  private static final long[] SHAPE = {7, 1029};
  @TempDir Path dir;

  @Test
  void zeroWeightsGiveTheBasesValues() {
    List<MergeMethod> claiming = MergeMethods.all().stream().filter(MergeMethod::keepsBaseAtZeroWeights).toList();
    assertThat(claiming).extracting(MergeMethod::name).contains("task_arithmetic");
    for (MergeMethod method : claiming) {
      for (DType dtype : List.of(DType.F32, DType.BF16)) {
        Random random = new Random(11);
        Path base = write("base-" + dtype, random, dtype);
        List<Path> models = List.of(write("a-" + dtype, random, dtype), write("b-" + dtype, random, dtype));
        Map<String, Object> parameters = new HashMap<>(method.recipeParameters(List.of(0.0, 0.0), new HashMap<>(method.fixedValues())));
        if (method.parameter("lambda") != null) {
          parameters.put("lambda", 1.7);
        }
        MergeRecipe recipe = MergeRecipe.builder().baseModel(base).models(models).seed(1)
            .block("all", ".*", method.name(), parameters).build();
        Path out = dir.resolve(method.name() + "-" + dtype);
        MergeEngine.builder(recipe).build().run(out, false);
        try (Checkpoint merged = Checkpoint.open(out); Checkpoint original = Checkpoint.open(base);
            NDManager manager = NDManager.newBaseManager()) {
          float[] want = values(original);
          assertEqualValues(values(merged), want, method.name() + " " + dtype + ", engine");
          List<Checkpoint> sources = models.stream().map(Checkpoint::open).toList();
          NDArray tensorPath = method.merge(load(manager, original), sources.stream().map(s -> load(manager, s)).toList(),
              recipe.blocks().get(0).params(), new MaskKey(1, "w"));
          sources.forEach(Checkpoint::close);
          float[] got = io.automerge.tensor.ElementCodec.decode(Tensors.encode(tensorPath, dtype), dtype);
          assertEqualValues(got, want, method.name() + " " + dtype + ", tensor path");
        }
      }
    }
  }

  private static float[] values(Checkpoint checkpoint) {
    return io.automerge.tensor.ElementCodec.decode(checkpoint.bytes("w"), checkpoint.info("w").dtype());
  }

  /** The same value everywhere; the same bits except where the base holds -0 (the sum's +0 added to it gives +0). */
  private static void assertEqualValues(float[] got, float[] want, String what) {
    assertThat(got).as(what).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
        assertThat(want[i] == 0f && got[i] == 0f).as("%s: element %d is %s, the base's %s", what, i, got[i], want[i]).isTrue();
      }
    }
  }

  private static NDArray load(NDManager manager, Checkpoint checkpoint) {
    return Tensors.toFloat32(manager, checkpoint.info("w"), checkpoint.bytes("w"));
  }

  /** Values over several decades, some exact zeros and negative zeros (a zero task vector entry must not flip them). */
  private Path write(String name, Random random, DType dtype) {
    int n = (int) (SHAPE[0] * SHAPE[1]);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(20);
      values[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(5) - 3));
    }
    Path path = dir.resolve(name);
    try (CheckpointWriter writer = CheckpointWriter.create(path,
        new ArrayList<>(List.of(new TensorSpec("w", dtype, SHAPE))), 1L << 30, Map.of())) {
      writer.write("w", Tensors.encode(values, dtype));
    }
    return path;
  }
}
