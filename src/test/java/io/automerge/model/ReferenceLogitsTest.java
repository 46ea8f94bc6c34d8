package io.automerge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logits of each decoder family on a tiny random checkpoint against an independent numpy
 * implementation (src/test/resources/reference/reference_logits.py, written from the transformers
 * semantics, not from our code). Regenerate: run this test with
 * {@code -Dautomerge.reference.write=src/test/resources/reference}, then the script.
 */
class ReferenceLogitsTest {
  static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  static List<String> cases() throws Exception {
    return ReferenceCheckpoints.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void logitsMatchTheNumpyReference(String name) throws Exception {
    Path ckpt = tmp.resolve(name);
    ReferenceCheckpoints.write(name, ckpt);
    Path committed = ReferenceCheckpoints.dir().resolve(name).resolve("model.safetensors");
    String target = System.getProperty("automerge.reference.write");
    if (target != null) {
      Files.copy(ckpt.resolve("model.safetensors"), Path.of(target, name, "model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
    }
    // The numpy reference read exactly the file this test writes.
    assertThat(Files.readAllBytes(ckpt.resolve("model.safetensors"))).as(name + " weights").isEqualTo(Files.readAllBytes(committed));

    JsonNode expected = expected(name);
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(ckpt, m);
      assertMatches(name, logits(model, expected, m), expected.get("logits"));
    }
  }

  @Test
  void llama3RopeScalingAndQwen2BiasesChangeTheLogits() throws Exception {
    // Without the llama3 frequency scaling, or without the q/k/v biases, the reference is missed:
    // the cases exercise both.
    assertThat(maxDifference("llama3", c -> c.putNull("rope_scaling"))).isGreaterThan(1e-2);
    assertThat(maxDifference("qwen2", c -> c.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM"))).isGreaterThan(1e-2);
  }

  @Test
  void transformers5RopeParametersReadLikeRopeThetaAndRopeScaling() throws Exception {
    double diff = maxDifference("llama3", c -> {
      ObjectNode rope = ((ObjectNode) c.remove("rope_scaling")).put("rope_theta", c.remove("rope_theta").asDouble());
      c.set("rope_parameters", rope);
    });
    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void mistralRefusesInputsLongerThanItsSlidingWindow() throws Exception {
    Path ckpt = tmp.resolve("mistral");
    ReferenceCheckpoints.write("mistral", ckpt);
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(ckpt, m);
      assertThat(model.forward(m.zeros(new Shape(1, 12), ai.djl.ndarray.types.DataType.INT64), false).getShape().get(1)).isEqualTo(12);
      assertThatThrownBy(() -> model.forward(m.zeros(new Shape(1, 13), ai.djl.ndarray.types.DataType.INT64), false))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("MistralForCausalLM with sliding_window 12: an input of 13 tokens is longer than the window; use windows of at most 12 tokens (max_tokens)");
    }
  }

  private double maxDifference(String name, java.util.function.Consumer<ObjectNode> change) throws Exception {
    Path ckpt = tmp.resolve(name + "-changed");
    ReferenceCheckpoints.write(name, ckpt);
    ObjectNode config = (ObjectNode) ModelCheckpoints.readJson(ckpt.resolve("config.json"));
    change.accept(config); // read as a Llama, a Qwen2 checkpoint's biases are left unused
    ModelCheckpoints.JSON.writeValue(ckpt.resolve("config.json").toFile(), config);
    JsonNode expected = expected(name);
    try (NDManager m = NDManager.newBaseManager()) {
      float[] actual = logits(ModelCheckpoints.load(ckpt, m), expected, m);
      double max = 0;
      for (int i = 0; i < actual.length; i++) {
        max = Math.max(max, Math.abs(actual[i] - expected.get("logits").get(i).asDouble()));
      }
      return max;
    }
  }

  private static JsonNode expected(String name) {
    return ModelCheckpoints.readJson(ReferenceCheckpoints.dir().resolve("expected").resolve(name + ".json"));
  }

  /** Flat logits {@code [batch, time, vocab]} for the reference's input ids. */
  private static float[] logits(ArchitectureModel model, JsonNode expected, NDManager m) {
    JsonNode ids = expected.get("input_ids");
    int batch = ids.size();
    int time = ids.get(0).size();
    long[] flat = new long[batch * time];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        flat[b * time + t] = ids.get(b).get(t).asLong();
      }
    }
    NDArray out = model.forward(m.create(flat, new Shape(batch, time)), false);
    assertThat(out.getShape().getShape()).containsExactly(batch, time, expected.get("vocab_size").asLong());
    return out.toFloatArray();
  }

  private static void assertMatches(String name, float[] actual, JsonNode want) {
    assertThat(actual).hasSize(want.size());
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - want.get(i).asDouble()));
    }
    assertThat(max).as(name + ": largest |logit - reference|").isLessThanOrEqualTo(TOLERANCE);
  }
}
