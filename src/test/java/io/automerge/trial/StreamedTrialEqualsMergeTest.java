package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.automerge.eval.TinyCctPair;
import io.automerge.eval.TinyLlamaPair;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.MergeRecipe;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered technique written into the resident model -- streamed from the mapped files
 * and from the device cache -- gives exactly the tensors `automerge merge` of the same recipe
 * writes: on float32 files (the CCT pair) and on BF16 files, where the merge is rounded to BF16.
 * Streamed on the CPU, the host kernels read the mapped BF16 as stored and write into the float32
 * parameters themselves; the device cache takes the technique's tensor path.
 */
class StreamedTrialEqualsMergeTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Models bf16;

  record Models(Path base, List<Path> sources) {}

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String technique : MergeMethods.allNames()) {
      for (String pair : List.of("cct-f32", "llama-bf16")) {
        for (String cache : List.of("off", "on")) {
          out.add(Arguments.of(technique, pair, cache));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, cache {2}")
  @MethodSource("cases")
  void aStreamedTrialHoldsTheRecipeMergeBitForBit(String technique, String pair, String cache) {
    Models models = pair.equals("cct-f32") ? cct() : llamaBf16();
    int n = models.sources().size();
    BlockChoice choice = new BlockChoice(technique, List.of(0.3, 0.7), io.automerge.merge.MergeMethods.find(technique).orElseThrow().parameter("density") != null ? 0.7 : null);
    MergeRecipe recipe = MergeRecipe.builder().baseModel(models.base()).models(models.sources()).seed(3)
        .block("all", ".*", technique, choice.toRecipeParameters()).build();
    Path out = tmp.resolve("merged");
    MergeEngine.builder(recipe).build().run(out, false);

    try (NDManager manager = NDManager.newBaseManager(); Checkpoint merged = Checkpoint.open(out);
        StreamedWeights streamed = StreamedWeights.open(models.base(), models.sources(), 3, null, cache, () -> 0, manager)) {
      assertThat(streamed.cachesSources()).isEqualTo(cache.equals("on"));
      try (NDManager scope = manager.newSubManager()) {
        StreamedWeights.Applied applied = streamed.apply(recipe, scope);
        assertThat(applied.tensorsWritten()).isEqualTo(streamed.resident().model().parametersByName().size());
        // no cache: every tensor is merged by the host kernels straight into its float32 parameter
        assertThat(applied.tensorsInPlace()).isEqualTo(cache.equals("off") ? applied.tensorsWritten() : 0);
      }
      assertThat(n).isEqualTo(2);
      for (var e : streamed.resident().model().parametersByName().entrySet()) {
        String name = e.getKey();
        assertThat(merged.info(name).dtype()).isEqualTo(pair.equals("cct-f32") ? DType.F32 : DType.BF16);
        float[] trial = e.getValue().getArray().toFloatArray();
        try (NDManager scope = manager.newSubManager()) {
          float[] file = Tensors.toFloat32(scope, merged.info(name), merged.bytes(name)).toFloatArray();
          assertThat(trial).as("%s / %s", technique, name).isEqualTo(file);
        }
      }
    }
  }

  /**
   * The write path a GPU worker takes (host decode, upload, cast, copy into a parameter of another
   * dtype), run on the CPU with a float16 resident model: each parameter is the merge cast to F16.
   */
  @org.junit.jupiter.api.Test
  void aResidentModelInAnotherDtypeHoldsTheMergeCastToIt() {
    Models models = llamaBf16();
    MergeRecipe recipe = MergeRecipe.builder().baseModel(models.base()).models(models.sources()).seed(3)
        .block("all", ".*", "ties", new BlockChoice("ties", List.of(0.3, 0.7), 0.7).toRecipeParameters()).build();
    Path out = tmp.resolve("merged16");
    MergeEngine.builder(recipe).build().run(out, false);
    try (NDManager manager = NDManager.newBaseManager(); Checkpoint merged = Checkpoint.open(out);
        StreamedWeights streamed = StreamedWeights.open(models.base(), models.sources(), 3, "float16", "off", () -> 0, manager)) {
      try (NDManager scope = manager.newSubManager()) {
        streamed.apply(recipe, scope);
      }
      for (var e : streamed.resident().model().parametersByName().entrySet()) {
        assertThat(e.getValue().getArray().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT16);
        try (NDManager scope = manager.newSubManager()) {
          var file = Tensors.toFloat32(scope, merged.info(e.getKey()), merged.bytes(e.getKey()));
          float[] expected = file.toType(ai.djl.ndarray.types.DataType.FLOAT16, false).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
          float[] held = e.getValue().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
          assertThat(held).as(e.getKey()).isEqualTo(expected);
        }
      }
    }
  }

  private static Models cct() {
    TinyCctPair pair = TinyCctPair.shared();
    return new Models(pair.base(), List.of(pair.tops(), pair.others()));
  }

  /** The tiny Llama pair stored in BF16 (each model rounded by a one-model linear merge). */
  static synchronized Models llamaBf16() {
    if (bf16 == null) {
      TinyLlamaPair pair = TinyLlamaPair.create(shared.resolve("f32"));
      List<Path> out = new ArrayList<>();
      for (Path model : List.of(pair.base(), pair.a(), pair.b())) {
        Path dir = shared.resolve("bf16-" + model.getFileName());
        MergeEngine.builder(MergeRecipe.builder().models(List.of(model, model)).dtype(DType.BF16)
            .block("all", ".*", "linear", java.util.Map.of("weights", List.of(1.0, 0.0))).build()).build().run(dir, false);
        try {
          Files.copy(pair.tokenizer(), dir.resolve("tokenizer.json"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        out.add(dir);
      }
      bf16 = new Models(out.get(0), List.of(out.get(1), out.get(2)));
    }
    return bf16;
  }
}
