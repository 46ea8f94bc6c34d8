package io.automerge.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.CheckpointWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streams a recipe's merge from checkpoints on disk to a new checkpoint: one tensor at a time,
 * each source loaded only while the technique needs it, every array of a tensor freed before the
 * next. Writes {@code config.json} (from the reference model) and {@code automerge-recipe.yaml}
 * beside the weights, all under a temporary name that is renamed when complete.
 */
public final class MergeEngine {
  public static final String RECIPE_FILE = "automerge-recipe.yaml";
  public static final long DEFAULT_SHARD_SIZE = 5_000_000_000L;

  private final MergeRecipe recipe;
  private final Device device;
  private final long shardSizeBytes;
  private final ProgressListener listener;

  private MergeEngine(Builder builder) {
    this.recipe = builder.recipe;
    this.device = builder.device;
    this.shardSizeBytes = builder.shardSizeBytes;
    this.listener = builder.listener;
  }

  public static Builder builder(MergeRecipe recipe) {
    return new Builder(recipe);
  }

  public static final class Builder {
    private final MergeRecipe recipe;
    private Device device = Device.cpu();
    private long shardSizeBytes = DEFAULT_SHARD_SIZE;
    private ProgressListener listener = ProgressListener.NONE;

    private Builder(MergeRecipe recipe) {
      this.recipe = recipe;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    public Builder shardSizeBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("shard size must be positive: " + bytes);
      }
      this.shardSizeBytes = bytes;
      return this;
    }

    public Builder listener(ProgressListener listener) {
      this.listener = listener;
      return this;
    }

    public MergeEngine build() {
      return new MergeEngine(this);
    }
  }

  /** Merges into {@code outDir}; an existing non-empty directory is replaced only if allowed. */
  public MergeSummary run(Path outDir, boolean overwrite) {
    long start = System.nanoTime();
    OutputDirectory.checkTarget(outDir.toAbsolutePath().normalize(), overwrite);
    List<Checkpoint> open = new ArrayList<>();
    try {
      Checkpoint base = recipe.baseModel().map(path -> track(open, Checkpoint.open(path))).orElse(null);
      List<Checkpoint> sources = new ArrayList<>();
      for (Path model : recipe.models()) {
        sources.add(track(open, Checkpoint.open(model)));
      }
      MergePlan plan = MergePlan.of(recipe, base, sources);
      try (OutputDirectory out = OutputDirectory.create(outDir, overwrite)) {
        long[] bytes = write(plan, out.temporary());
        copyConfig(plan.reference(), out.temporary());
        if (recipe.tokenizerSource().isPresent()) {
          TokenizerFiles.copy(recipe.tokenizerSource().get(), out.temporary());
        }
        Files.writeString(out.temporary().resolve(RECIPE_FILE), RecipeWriter.toYaml(recipe),
            StandardCharsets.UTF_8);
        out.commit();
        return new MergeSummary(out.target(), plan.tensors().size(), bytes[0], bytes[1],
            (System.nanoTime() - start) / 1e9);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      open.forEach(Checkpoint::close);
    }
  }

  private static Checkpoint track(List<Checkpoint> open, Checkpoint checkpoint) {
    open.add(checkpoint);
    return checkpoint;
  }

  /** Returns {bytes read, bytes written}. */
  private long[] write(MergePlan plan, Path dir) {
    long read = 0;
    long written = 0;
    Map<String, String> metadata = Map.of("format", "pt");
    ByteBuffer output = null; // reused by the host path: one direct buffer, grown as needed
    TensorMerger merger = new TensorMerger(recipe, device);
    listener.started(plan.tensors().size(), plan.outputBytes());
    // Created on first use: a merge the host path covers entirely never starts the PyTorch engine
    // (loading it costs more than merging a small model).
    NDManager root = null;
    try (CheckpointWriter writer = CheckpointWriter.create(dir, plan.specs(), shardSizeBytes, metadata)) {
      for (MergePlan.Item item : plan.tensors()) {
        String name = item.name();
        if (!item.merged()) {
          writer.write(name, plan.reference().bytes(name));
          read += plan.reference().info(name).byteSize();
        } else {
          if (merger.onHost(plan, item)) {
            output = capacity(output, HostMerge.scratchBytes(item));
            writer.write(name, merger.onHost(plan, item, output));
          } else {
            if (root == null) {
              root = NDManager.newBaseManager(device);
            }
            try (NDManager scope = root.newSubManager()) {
              writer.write(name, merger.encoded(scope, plan, item));
            }
          }
          read += inputBytes(plan, item);
        }
        written += item.output().byteSize();
        listener.tensorDone(name, item.output().byteSize());
      }
    } finally {
      if (root != null) {
        root.close();
      }
      listener.finished();
    }
    return new long[] {read, written};
  }

  private static ByteBuffer capacity(ByteBuffer buffer, long bytes) {
    if (buffer == null || buffer.capacity() < bytes) {
      return ByteBuffer.allocateDirect(Math.toIntExact(bytes));
    }
    return buffer.clear();
  }

  private static long inputBytes(MergePlan plan, MergePlan.Item item) {
    long bytes = 0;
    if (plan.base() != null && item.block().method().needsBase()) {
      bytes += plan.base().info(item.name()).byteSize();
    }
    for (Checkpoint source : plan.sources()) {
      bytes += source.info(item.name()).byteSize();
    }
    return bytes;
  }

  private static void copyConfig(Checkpoint reference, Path dir) throws IOException {
    Optional<Path> config = reference.configJson();
    if (config.isPresent()) {
      Files.copy(config.get(), dir.resolve("config.json"));
    }
  }
}
