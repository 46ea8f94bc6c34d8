package io.automerge.trial;

import ai.djl.nn.Parameter;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The resident (merged) model written as a Hugging Face checkpoint for an external evaluator:
 * every tensor of the base in the base's dtype, and every file of the base that is not weights
 * (config.json, tokenizer files, generation and preprocessor configs) copied. Deleted on close.
 */
public final class ScratchCheckpoint implements AutoCloseable {
  private final Path dir;

  private ScratchCheckpoint(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public static ScratchCheckpoint write(ArchitectureModel model, Path baseDir) {
    Path dir;
    try {
      dir = Files.createTempDirectory("automerge-trial-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch checkpoint directory", e);
    }
    ScratchCheckpoint scratch = new ScratchCheckpoint(dir);
    try (Checkpoint base = Checkpoint.open(baseDir)) {
      Map<String, Parameter> params = model.parametersByName();
      List<TensorSpec> specs = new ArrayList<>();
      for (String name : base.names()) {
        TensorInfo info = base.info(name);
        specs.add(new TensorSpec(name, info.dtype(), info.shape()));
      }
      try (CheckpointWriter writer = CheckpointWriter.create(dir, specs, ModelCheckpoints.SHARD_BYTES, Map.of("format", "pt"))) {
        for (String name : base.names()) {
          Parameter p = params.get(name);
          writer.write(name, p == null ? base.bytes(name) : Tensors.encode(p.getArray(), base.info(name).dtype()));
        }
      }
      copyNonWeights(base.root(), dir);
      return scratch;
    } catch (RuntimeException e) {
      scratch.close();
      throw e;
    }
  }

  private static void copyNonWeights(Path from, Path to) {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String n = f.getFileName().toString();
        if (!(n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json") || n.endsWith(".bin") || n.endsWith(".pt")
            || n.endsWith(".pth") || n.endsWith(".ckpt"))) {
          Files.copy(f, to.resolve(n), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the base's files into " + to, e);
    }
  }

  /** The resident model's checkpoint, written on the first {@link #get} only (when a command task asks). */
  public static Lazy lazy(ArchitectureModel model, Path baseDir) {
    return new Lazy(model, baseDir);
  }

  public static final class Lazy implements Supplier<Path>, AutoCloseable {
    private final ArchitectureModel model;
    private final Path baseDir;
    private ScratchCheckpoint written;

    private Lazy(ArchitectureModel model, Path baseDir) {
      this.model = model;
      this.baseDir = baseDir;
    }

    @Override
    public Path get() {
      if (written == null) {
        written = write(model, baseDir);
      }
      return written.dir();
    }

    @Override
    public void close() {
      if (written != null) {
        written.close();
      }
    }
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // the temp dir; nothing else depends on it
    }
  }
}
