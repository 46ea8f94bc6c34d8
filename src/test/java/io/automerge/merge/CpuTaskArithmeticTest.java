package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fused CPU path must give the very bytes of the PyTorch path it stands in for. */
class CpuTaskArithmeticTest {
  @TempDir Path dir;

  @Test
  void fusedCpuPathIsBitIdenticalToThePyTorchPath() {
    int n = 3 * 16 * 1024 + 77; // several slices and a ragged end
    Random random = new Random(5);
    Path base = write("base", n, random);
    List<Path> models = List.of(write("a", n, random), write("b", n, random), write("c", n, random));
    for (double lambda : new double[] {1.0, 0.7}) {
      MergeRecipe recipe = MergeRecipe.builder().baseModel(base).models(models).seed(1)
          .block("all", ".*", "task_arithmetic", Map.of("weights", List.of(0.3, -1.25, 0.61), "lambda", lambda))
          .build();
      Path out = dir.resolve("out-" + lambda);
      MergeEngine.builder(recipe).build().run(out, false);

      try (Checkpoint merged = Checkpoint.open(out); NDManager manager = NDManager.newBaseManager()) {
        List<Checkpoint> sources = models.stream().map(Checkpoint::open).toList();
        Checkpoint baseCkpt = Checkpoint.open(base);
        NDArray expected = GeneralizedTaskArithmetic.TASK_ARITHMETIC.merge(
            load(manager, baseCkpt), sources.stream().map(s -> load(manager, s)).toList(),
            recipe.blocks().get(0).params(), new MaskKey(1, "w"));
        ByteBuffer want = Tensors.encode(expected, DType.F32);
        ByteBuffer got = merged.bytes("w");
        assertThat(got.remaining()).isEqualTo(n * 4);
        for (int i = 0; i < n; i++) {
          assertThat(Float.floatToRawIntBits(got.getFloat(i * 4)))
              .as("element %d, lambda %s", i, lambda)
              .isEqualTo(Float.floatToRawIntBits(want.order(ByteOrder.LITTLE_ENDIAN).getFloat(i * 4)));
        }
        sources.forEach(Checkpoint::close);
        baseCkpt.close();
      }
    }
  }

  private static NDArray load(NDManager manager, Checkpoint checkpoint) {
    return Tensors.toFloat32(manager, checkpoint.info("w"), checkpoint.bytes("w"));
  }

  private Path write(String name, int n, Random random) {
    Path path = dir.resolve(name);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
    }
    try (CheckpointWriter writer = CheckpointWriter.create(path,
        new ArrayList<>(List.of(new TensorSpec("w", DType.F32, new long[] {n}))), 1L << 30, Map.of())) {
      writer.write("w", Tensors.encode(values, DType.F32));
    }
    return path;
  }
}
