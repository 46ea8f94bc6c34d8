package io.automerge.merge.bench;

import ai.djl.Device;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.MergeRecipe;
import io.automerge.merge.MergeSummary;
import io.automerge.merge.RecipeWriter;
import io.automerge.tensor.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges synthetic checkpoints with each technique and compares the throughput with a plain
 * memory copy of the same input bytes measured in the same run, sampling peak RssAnon.
 */
public final class MergeBenchmark {

  /**
   * One technique's run.
   *
   * @param cpuSeconds CPU time of the whole process during the run (all threads, user and system)
   */
  public record Result(String method, MergeSummary summary, long peakAnonBytes, double cpuSeconds) {}

  /** The copy baseline: bytes copied from the (cached) mapped inputs into one buffer, on one thread. */
  public record Copy(long bytes, double seconds, double cpuSeconds) {
    public double gigabytesPerSecond() {
      return bytes / seconds / 1e9;
    }
  }

  /** The density benchmarked (speeds were measured at it since the first benchmark). */
  private static final double BENCH_DENSITY = 0.8;

  private final SyntheticCheckpoints data;
  private final Device device;
  private final long shardBytes;

  public MergeBenchmark(SyntheticCheckpoints data, Device device, long shardBytes) {
    this.data = data;
    this.device = device;
    this.shardBytes = shardBytes;
  }

  /**
   * The benchmark recipe: the technique's fixed plan (equal weights, each searched value at its
   * declared start, see {@link MergeMethod#fixedValues}) with density 0.8 where it takes one, over as
   * many models as the technique takes.
   */
  public MergeRecipe recipe(String method) {
    MergeMethod declared = MergeMethods.find(method).orElseThrow();
    int n = Math.min(data.models(), declared.maxModels());
    Map<String, Double> chosen = new LinkedHashMap<>(declared.fixedValues());
    chosen.computeIfPresent("density", (name, start) -> BENCH_DENSITY);
    Map<String, Object> parameters = declared.recipeParameters(Collections.nCopies(n, 1.0 / n), chosen);
    return MergeRecipe.builder()
        .baseModel(data.base())
        .models(data.modelPaths().subList(0, n))
        .seed(7)
        .block("all", ".*", method, parameters)
        .build();
  }

  /** Writes the recipe of {@code method} beside the data, for whole-process timing. */
  public Path writeRecipe(String method) {
    Path path = data.dir().resolve(method + ".yaml");
    try {
      Files.writeString(path, RecipeWriter.toYaml(recipe(method)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  /** Copies every input tensor (base and models) once, after one warm-up pass. */
  public Copy memoryCopy() {
    List<Path> inputs = new ArrayList<>(List.of(data.base()));
    inputs.addAll(data.modelPaths());
    ByteBuffer target = ByteBuffer.allocateDirect((int) data.tensorBytes()).order(ByteOrder.LITTLE_ENDIAN);
    copyAll(inputs, target);
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    long bytes = copyAll(inputs, target);
    return new Copy(bytes, (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9);
  }

  /**
   * CPU time of this process: on a machine shared with other work the wall clock mostly measures
   * the wait for a core, the CPU time what the work itself costs.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long copyAll(List<Path> inputs, ByteBuffer target) {
    long bytes = 0;
    for (Path input : inputs) {
      try (Checkpoint checkpoint = Checkpoint.open(input)) {
        for (String name : checkpoint.names()) {
          ByteBuffer source = checkpoint.bytes(name);
          bytes += source.remaining();
          target.clear().put(source);
        }
      }
    }
    return bytes;
  }

  /**
   * Merges with {@code method} into a fresh {@code out}: a previous run's output is deleted before
   * the clock starts (the copy it is compared with deletes nothing).
   */
  public Result run(String method, Path out) {
    try {
      io.automerge.util.FileTrees.delete(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (AnonMemoryProbe probe = AnonMemoryProbe.start(10)) {
      long cpu = processCpuNanos();
      MergeSummary summary = MergeEngine.builder(recipe(method))
          .device(device)
          .shardSizeBytes(shardBytes)
          .build()
          .run(out, true);
      return new Result(method, summary, probe.peakBytes(), (processCpuNanos() - cpu) / 1e9);
    }
  }

  /**
   * Checks a task-arithmetic output against the formula on a sample of every tensor, so the
   * benchmark also proves the sharded input -> sharded output round trip.
   */
  public void verifyTaskArithmetic(Path out) {
    List<Checkpoint> open = new ArrayList<>();
    try {
      Checkpoint merged = track(open, Checkpoint.open(out));
      Checkpoint base = track(open, Checkpoint.open(data.base()));
      List<Checkpoint> models = new ArrayList<>();
      for (Path p : data.modelPaths()) {
        models.add(track(open, Checkpoint.open(p)));
      }
      if (!merged.names().equals(base.names())) {
        throw new IllegalStateException("merged tensor names differ from the base's");
      }
      float w = 1f / models.size();
      for (String name : base.names()) {
        ByteBuffer result = merged.bytes(name).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer theta0 = base.bytes(name).order(ByteOrder.LITTLE_ENDIAN);
        int n = theta0.remaining() / 4;
        for (int i = 0; i < n; i += Math.max(1, n / 4096)) {
          float sum = 0;
          for (Checkpoint m : models) {
            sum += w * (m.bytes(name).order(ByteOrder.LITTLE_ENDIAN).getFloat(i * 4) - theta0.getFloat(i * 4));
          }
          float expected = theta0.getFloat(i * 4) + sum;
          if (Math.abs(result.getFloat(i * 4) - expected) > 1e-5f) {
            throw new IllegalStateException(name + "[" + i + "]: " + result.getFloat(i * 4) + " != " + expected);
          }
        }
      }
    } finally {
      open.forEach(Checkpoint::close);
    }
  }

  private static Checkpoint track(List<Checkpoint> open, Checkpoint c) {
    open.add(c);
    return c;
  }
}
