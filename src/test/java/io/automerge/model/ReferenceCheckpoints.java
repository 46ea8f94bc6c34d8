package io.automerge.model;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tiny random decoder checkpoints for the reference-logit tests: a hand-written HF config.json
 * (src/test/resources/reference/CASE/config.json) and weights from a fixed splitmix64 stream, stored
 * in the config's {@code torch_dtype}. The numpy reference (reference_logits.py) reads the same files.
 */
final class ReferenceCheckpoints {
  private ReferenceCheckpoints() {}

  static Path dir() {
    try {
      return Path.of(ReferenceCheckpoints.class.getResource("/reference/cases.txt").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> cases() throws IOException {
    return Files.readAllLines(dir().resolve("cases.txt")).stream().filter(s -> !s.isBlank()).toList();
  }

  /** Writes {@code config.json} (copied as is) and {@code model.safetensors} of {@code name} into {@code out}. */
  static void write(String name, Path out) throws IOException {
    Path config = dir().resolve(name).resolve("config.json");
    JsonNode json = ModelCheckpoints.readJson(config);
    DType dtype = dtype(json.path("torch_dtype").asText("float32"));
    Map<String, Parameter> params = Architectures.build(json, config.toString()).parametersByName();
    List<TensorSpec> specs = new ArrayList<>();
    params.forEach((n, p) -> specs.add(new TensorSpec(n, dtype, p.getShape().getShape())));
    Files.createDirectories(out);
    Files.copy(config, out.resolve("config.json"));
    long[] state = {0x5EED_0000L + name.hashCode()};
    try (CheckpointWriter writer = CheckpointWriter.create(out, specs, ModelCheckpoints.SHARD_BYTES, Map.of("format", "pt"))) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        writer.write(e.getKey(), Tensors.encode(values(e.getKey(), e.getValue().getShape().getShape(), state), dtype));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Norm gains near 1, small biases, embeddings in [-0.5, 0.5), weights with unit output variance. */
  private static float[] values(String name, long[] shape, long[] state) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double scale;
    double offset = 0;
    if (name.endsWith("norm.weight")) {
      scale = 0.25;
      offset = 1;
    } else if (name.endsWith(".bias")) {
      scale = 0.2;
    } else if (name.contains("embed_tokens")) {
      scale = 0.5;
    } else {
      scale = Math.sqrt(3.0 / shape[shape.length - 1]);
    }
    float[] out = new float[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (offset + scale * uniform(state));
    }
    return out;
  }

  /** splitmix64, 24 bits mapped to [-1, 1). */
  private static double uniform(long[] state) {
    long z = (state[0] += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 40) / (double) (1 << 23) - 1.0;
  }

  private static DType dtype(String torchDtype) {
    return switch (torchDtype) {
      case "bfloat16" -> DType.BF16;
      case "float16" -> DType.F16;
      default -> DType.F32;
    };
  }
}
