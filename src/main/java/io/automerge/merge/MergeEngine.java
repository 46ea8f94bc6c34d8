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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

  /**
   * Returns {bytes read, bytes written}. Host-merged tensors alternate between two output buffers
   * and are written by one background thread while the next tensor is merged: writing into the
   * page cache costs about as much as a light technique's merge. Writes stay in tensor order.
   */
  private long[] write(MergePlan plan, Path dir) {
    long read = 0;
    long written = 0;
    Map<String, String> metadata = Map.of("format", "pt");
    ByteBuffer[] outputs = new ByteBuffer[2]; // reused by the host path: direct buffers, grown as needed
    int next = 0;
    TensorMerger merger = new TensorMerger(recipe, device);
    listener.started(plan.tensors().size(), plan.outputBytes());
    // Created on first use: a merge the host path covers entirely never starts the PyTorch engine
    // (loading it costs more than merging a small model).
    NDManager root = null;
    ExecutorService writes = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "merge-writer");
      thread.setDaemon(true);
      return thread;
    });
    try (CheckpointWriter writer = CheckpointWriter.create(dir, plan.specs(), shardSizeBytes, metadata)) {
      Future<?> pending = null;
      try {
        for (MergePlan.Item item : plan.tensors()) {
          String name = item.name();
          if (item.merged() && merger.onHost(plan, item)) {
            // the other buffer may still be written; this one's last write finished before that began
            outputs[next] = capacity(outputs[next], HostMerge.scratchBytes(item));
            ByteBuffer bytes = merger.onHost(plan, item, outputs[next]);
            next = 1 - next;
            finish(pending);
            pending = writes.submit(() -> writer.write(name, bytes));
          } else {
            finish(pending);
            pending = null;
            if (!item.merged()) {
              writer.write(name, plan.reference().bytes(name));
            } else {
              if (root == null) {
                root = NDManager.newBaseManager(device);
              }
              try (NDManager scope = root.newSubManager()) {
                writer.write(name, merger.encoded(scope, plan, item));
              }
            }
          }
          read += item.merged() ? inputBytes(plan, item) : plan.reference().info(name).byteSize();
          written += item.output().byteSize();
          listener.tensorDone(name, item.output().byteSize());
        }
        Future<?> last = pending;
        pending = null;
        finish(last);
      } finally {
        if (pending != null) { // failing already: let the write end before the writer closes
          awaitQuietly(pending);
        }
      }
    } finally {
      writes.shutdownNow();
      if (root != null) {
        root.close();
      }
      listener.finished();
    }
    return new long[] {read, written};
  }

  /** Waits for a background write, rethrowing its failure here. */
  private static void finish(Future<?> write) {
    if (write == null) {
      return;
    }
    try {
      write.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("writing the merged checkpoint failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the merged checkpoint", e);
    }
  }

  /** The writer must be idle before the checkpoint is closed or deleted; its failure is not the first. */
  private static void awaitQuietly(Future<?> write) {
    boolean interrupted = false;
    while (true) {
      try {
        write.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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
