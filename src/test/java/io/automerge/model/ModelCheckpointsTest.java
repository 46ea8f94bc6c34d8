package io.automerge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointsTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void cctSavedAndLoadedGivesIdenticalOutputs(@TempDir Path dir) {
    roundTrip(TinyModels.cct(), dir, m -> m.randomNormal(new Shape(3, 1, 28, 28)));
  }

  @Test
  void llamaSavedAndLoadedGivesIdenticalOutputs(@TempDir Path dir) {
    roundTrip(TinyModels.llama(false), dir, m -> m.randomInteger(0, 256, new Shape(2, 12), DataType.INT64));
    roundTrip(TinyModels.llama(true), dir.resolve("tied"), m -> m.randomInteger(0, 256, new Shape(2, 12), DataType.INT64));
  }

  private static void roundTrip(ObjectNode config, Path dir, java.util.function.Function<NDManager, NDArray> input) {
    try (NDManager a = NDManager.newBaseManager();
        NDManager b = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      ArchitectureModel model = Architectures.build(config, "test").initialize(a);
      ModelCheckpoints.save(model, dir, Map.of());
      assertThat(dir.resolve("config.json")).exists();
      assertThat(dir.resolve("model.safetensors")).exists();
      ArchitectureModel loaded = ModelCheckpoints.load(dir, b);
      assertThat(loaded.parametersByName().keySet()).containsExactlyElementsOf(model.parametersByName().keySet());
      NDArray x = input.apply(a);
      float[] expected = model.forward(x, false).toFloatArray();
      float[] actual = loaded.forward(x.duplicate(), false).toFloatArray();
      assertThat(actual).containsExactly(expected);
    }
  }

  @Test
  void missingTensorIsRefusedByName(@TempDir Path dir) {
    writeEdited(dir, "pooling.attention.weight", null);
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing tensor pooling.attention.weight");
  }

  @Test
  void misshapedTensorIsRefusedByName(@TempDir Path dir) {
    writeEdited(dir, "encoder.layers.0.mlp.fc1.weight", new long[] {16, 9});
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("encoder.layers.0.mlp.fc1.weight")
        .hasMessageContaining("[16, 9]")
        .hasMessageContaining("[16, 8]");
  }

  private static void load(Path dir) {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCheckpoints.load(dir, m);
    }
  }

  /** A tiny CCT checkpoint with one tensor dropped ({@code shape == null}) or reshaped. */
  private static void writeEdited(Path dir, String victim, long[] shape) {
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = Architectures.build(TinyModels.cct(), "test").initialize(m);
      List<TensorSpec> specs = new ArrayList<>();
      List<NDArray> arrays = new ArrayList<>();
      for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
        NDArray array = e.getValue().getArray();
        if (e.getKey().equals(victim)) {
          if (shape == null) {
            continue;
          }
          array = m.zeros(new Shape(shape));
        }
        specs.add(new TensorSpec(e.getKey(), DType.F32, array.getShape().getShape()));
        arrays.add(array);
      }
      try (CheckpointWriter w = CheckpointWriter.create(dir, specs, 1L << 30, Map.of())) {
        for (int i = 0; i < specs.size(); i++) {
          w.write(specs.get(i).name(), Tensors.encode(arrays.get(i), DType.F32));
        }
      }
      Files.writeString(dir.resolve("config.json"), model.config().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
