package io.automerge.model;

import io.automerge.util.FileTrees;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.automerge.InvalidInputException;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads {@link ArchitectureModel}s as Hugging Face checkpoints (config.json +
 * safetensors) through the project's tensor I/O.
 */
public final class ModelCheckpoints {
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Shards above this size; the example models fit in one file. */
  public static final long SHARD_BYTES = 2L << 30;

  private ModelCheckpoints() {}

  /** Reads {@code config.json} of a checkpoint directory (or the one beside a lone file). */
  public static JsonNode readConfig(Path dirOrFile) {
    try (Checkpoint ckpt = Checkpoint.open(dirOrFile)) {
      Path config = ckpt.configJson().orElseThrow(() -> new InvalidInputException(dirOrFile + ": no config.json beside the weights"));
      return readJson(config);
    }
  }

  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
  }

  /** Builds the architecture of the checkpoint and copies every tensor in, checking names and shapes. */
  public static ArchitectureModel load(Path dirOrFile, NDManager manager) {
    try (Checkpoint ckpt = Checkpoint.open(dirOrFile)) {
      Path configFile = ckpt.configJson().orElseThrow(() -> new InvalidInputException(dirOrFile + ": no config.json beside the weights"));
      ArchitectureModel model = Architectures.build(readJson(configFile), configFile.toString()).initialize(manager);
      copyInto(model, ckpt);
      return model;
    }
  }

  /** Copies a checkpoint's tensors into an initialized model of the same architecture. */
  public static void copyInto(ArchitectureModel model, Checkpoint ckpt) {
    for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
      String name = e.getKey();
      NDArray target = e.getValue().getArray();
      if (!ckpt.contains(name)) {
        throw new InvalidInputException(ckpt.root() + ": missing tensor " + name + " (expected shape " + target.getShape() + ")");
      }
      TensorInfo info = ckpt.info(name);
      if (!new Shape(info.shape()).equals(target.getShape())) {
        throw new InvalidInputException(
            ckpt.root() + ": tensor " + name + " has shape " + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(target.getShape().getShape()));
      }
      if (!info.dtype().isFloat()) {
        throw new InvalidInputException(ckpt.root() + ": tensor " + name + " has dtype " + info.dtype() + ", expected a float type");
      }
      try (NDManager scope = target.getManager().newSubManager()) {
        write(target, Tensors.toFloat32(scope, info, ckpt.bytes(name)));
      }
    }
  }

  /**
   * {@code target[...] = values} as a native copy on the target's device, cast to its dtype.
   * Never {@code set(ByteBuffer)}: DJL copies a heap buffer into a direct one that lives until the
   * garbage collector runs. A parameter that requires a gradient is briefly freed of it (PyTorch
   * refuses in-place writes into such a leaf).
   */
  public static void write(NDArray target, NDArray values) {
    NDArray source = values.getDataType() == target.getDataType() ? values : values.toType(target.getDataType(), false);
    boolean grad = target.hasGradient();
    if (grad) {
      target.setRequiresGradient(false);
    }
    target.set(new ai.djl.ndarray.index.NDIndex("..."), source);
    if (grad) {
      target.setRequiresGradient(true);
    }
    if (source != values) {
      source.close();
    }
  }

  /**
   * Writes config.json, model.safetensors (float32) and any extra JSON files into {@code dir},
   * through a temporary sibling directory renamed when complete.
   */
  public static void save(ArchitectureModel model, Path dir, Map<String, JsonNode> extraJson) {
    Path parent = dir.toAbsolutePath().getParent();
    Path tmp = parent.resolve("." + dir.getFileName() + ".tmp");
    try {
      Files.createDirectories(parent);
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
      JSON.writeValue(tmp.resolve("config.json").toFile(), model.config());
      writeWeights(model, tmp);
      for (Map.Entry<String, JsonNode> e : extraJson.entrySet()) {
        JSON.writeValue(tmp.resolve(e.getKey()).toFile(), e.getValue());
      }
      FileTrees.delete(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + dir, e);
    }
  }

  private static void writeWeights(ArchitectureModel model, Path dir) {
    List<TensorSpec> specs = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
      specs.add(new TensorSpec(e.getKey(), DType.F32, e.getValue().getShape().getShape()));
    }
    // One metadata entry only: a deterministic header keeps reruns byte-identical.
    try (CheckpointWriter writer = CheckpointWriter.create(dir, specs, SHARD_BYTES, Map.of("format", "pt"))) {
      for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
        writer.write(e.getKey(), Tensors.encode(e.getValue().getArray(), DType.F32));
      }
    }
  }

}
