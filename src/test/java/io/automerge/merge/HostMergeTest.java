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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's file-to-file host path must give the very bytes of the technique's NDArray merge
 * (for the task-arithmetic family and linear: the PyTorch path), on a 2-D tensor of several
 * slices per core with a ragged end, for float32 checkpoints and for BF16/F16 ones (read as
 * stored, widened slice by slice, and written back in their dtype).
 */
class HostMergeTest {
  private static final long[] SHAPE = {61, 3 * 1024 + 5};
  @TempDir Path dir;

  @AfterEach
  void reset() {
    GeneralizedTaskArithmetic.pytorchOnly = false;
  }

  private static final List<String> TECHNIQUES = List.of("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties",
      "slerp", "breadcrumbs", "breadcrumbs_ties", "della", "della_linear", "model_stock");

  static Stream<Arguments> cases() {
    return Stream.of(DType.F32, DType.BF16, DType.F16)
        .flatMap(dtype -> TECHNIQUES.stream().map(technique -> Arguments.of(technique, dtype)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void hostPathIsBitIdenticalToTheTensorPath(String technique, DType dtype) {
    MergeMethod method = MergeMethods.find(technique).orElseThrow();
    int n = (int) (SHAPE[0] * SHAPE[1]);
    Random random = new Random(5);
    Path base = write("base", n, random, null, dtype);
    float[] baseValues = read(base);
    int count = Math.min(3, method.maxModels());
    List<Path> models = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      models.add(write("m" + i, n, random, baseValues, dtype));
    }
    // a negative weight, with and without lambda; then weights of one sign (TIES' vectorized election)
    double[] lambdas = {1.0, 0.7, 1.0};
    List<List<Double>> weightSets = List.of(List.of(0.3, -1.25, 0.61), List.of(0.3, -1.25, 0.61), List.of(0.3, 1.25, 0.61));
    for (int variant = 0; variant < lambdas.length; variant++) {
      double lambda = lambdas[variant];
      Map<String, Double> chosen = new HashMap<>(method.fixedValues());
      chosen.computeIfPresent("density", (name, start) -> 0.6);
      Map<String, Object> parameters = new HashMap<>(
          method.recipeParameters(weightSets.get(variant).subList(0, count), chosen));
      if (method.parameter("lambda") != null) {
        parameters.put("lambda", lambda);
      }
      MergeRecipe recipe = MergeRecipe.builder().baseModel(base).models(models).seed(1)
          .block("all", ".*", technique, parameters).build();
      MergePlan plan = MergePlan.of(recipe, Checkpoint.open(base), models.stream().map(Checkpoint::open).toList());
      assertThat(HostMerge.applies(recipe, plan, plan.tensors().get(0))).as("host path taken").isTrue();
      plan.sources().forEach(Checkpoint::close);
      plan.base().close();
      Path out = dir.resolve(technique + "-" + variant);
      MergeEngine.builder(recipe).build().run(out, false);

      try (Checkpoint merged = Checkpoint.open(out); NDManager manager = NDManager.newBaseManager()) {
        List<Checkpoint> sources = models.stream().map(Checkpoint::open).toList();
        Checkpoint baseCkpt = Checkpoint.open(base);
        GeneralizedTaskArithmetic.pytorchOnly = true; // where a PyTorch path exists, compare with it
        NDArray expected = method.merge(
            load(manager, baseCkpt), sources.stream().map(s -> load(manager, s)).toList(),
            recipe.blocks().get(0).params(), new MaskKey(1, "w"));
        GeneralizedTaskArithmetic.pytorchOnly = false;
        ByteBuffer want = Tensors.encode(expected, dtype).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer got = merged.bytes("w").order(ByteOrder.LITTLE_ENDIAN);
        assertThat(merged.info("w").dtype()).isEqualTo(dtype);
        assertThat(got.remaining()).isEqualTo(n * dtype.byteSize());
        for (int i = 0; i < got.remaining(); i++) {
          if (got.get(i) != want.get(i)) {
            assertThat(got.get(i)).as("%s %s byte %d (element %d), lambda %s", technique, dtype, i,
                i / dtype.byteSize(), lambda).isEqualTo(want.get(i));
          }
        }
        sources.forEach(Checkpoint::close);
        baseCkpt.close();
      }
    }
  }

  private static NDArray load(NDManager manager, Checkpoint checkpoint) {
    return Tensors.toFloat32(manager, checkpoint.info("w"), checkpoint.bytes("w"));
  }

  private static float[] read(Path path) {
    try (Checkpoint checkpoint = Checkpoint.open(path)) {
      return io.automerge.tensor.ElementCodec.decode(checkpoint.bytes("w"), checkpoint.info("w").dtype());
    }
  }

  /** Values over seven decades; models are the base plus noise, with some entries tied. */
  private Path write(String name, int n, Random random, float[] base, DType dtype) {
    Path path = dir.resolve(name);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      float noise = random.nextInt(10) == 0 ? 0.25f : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
      values[i] = base == null ? (float) random.nextGaussian() : base[i] + noise;
    }
    try (CheckpointWriter writer = CheckpointWriter.create(path,
        new ArrayList<>(List.of(new TensorSpec("w", dtype, SHAPE))), 1L << 30, Map.of())) {
      writer.write("w", Tensors.encode(values, dtype));
    }
    return path;
  }
}
