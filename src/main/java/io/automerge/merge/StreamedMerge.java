package io.automerge.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recipes merged tensor by tensor from a base and source checkpoints opened once and kept
 * memory-mapped (the page cache holds them, not the process), for callers that put each tensor
 * somewhere other than a file: a search worker's resident model. Each tensor's bytes are exactly
 * what {@code automerge merge} of the same recipe writes (the same {@link TensorMerger}).
 */
public final class StreamedMerge implements AutoCloseable {
  private final Checkpoint base;
  private final List<Checkpoint> sources;
  private final Device device;

  private StreamedMerge(Checkpoint base, List<Checkpoint> sources, Device device) {
    this.base = base;
    this.sources = List.copyOf(sources);
    this.device = device;
  }

  /** Opens (maps) the base and every source; {@code device} is where the techniques compute. */
  public static StreamedMerge open(Path base, List<Path> models, Device device) {
    List<Checkpoint> open = new ArrayList<>();
    try {
      Checkpoint baseCheckpoint = Checkpoint.open(base);
      open.add(baseCheckpoint);
      List<Checkpoint> sources = new ArrayList<>();
      for (Path model : models) {
        Checkpoint source = Checkpoint.open(model);
        open.add(source);
        sources.add(source);
      }
      return new StreamedMerge(baseCheckpoint, sources, device);
    } catch (RuntimeException e) {
      open.forEach(Checkpoint::close);
      throw e;
    }
  }

  public Checkpoint base() {
    return base;
  }

  public List<Checkpoint> sources() {
    return sources;
  }

  /** The recipe's plan over these checkpoints, checked as {@code automerge merge} checks it. */
  public Plan plan(MergeRecipe recipe) {
    return new Plan(recipe, MergePlan.of(recipe, base, sources));
  }

  /** One recipe's merge over the open checkpoints. */
  public final class Plan {
    private final MergePlan plan;
    private final Map<String, MergePlan.Item> items = new HashMap<>();
    private final TensorMerger merger;

    private Plan(MergeRecipe recipe, MergePlan plan) {
      this.plan = plan;
      plan.tensors().forEach(item -> items.put(item.name(), item));
      this.merger = new TensorMerger(recipe, device);
    }

    /** The recipe block that merges {@code tensor}. */
    public BlockRecipe block(String tensor) {
      return item(tensor).block();
    }

    /** Name, output dtype and shape of {@code tensor} as the merge writes it. */
    public TensorSpec output(String tensor) {
      return item(tensor).output();
    }

    /**
     * {@code tensor} as the merge writes it (a non-float tensor as the base has it): little-endian
     * bytes of {@link #output}'s dtype, valid until {@code scope} closes or the next call.
     */
    public ByteBuffer encoded(String tensor, NDManager scope) {
      MergePlan.Item item = item(tensor);
      return item.merged() ? merger.encoded(scope, plan, item) : plan.reference().bytes(tensor);
    }

    /** Whether {@link #mergeInto} covers {@code tensor}: a float tensor the CPU host kernels merge. */
    public boolean mergesInto(String tensor) {
      MergePlan.Item item = item(tensor);
      return item.merged() && merger.onHost(plan, item);
    }

    /**
     * {@code tensor} as {@link #encoded} gives it, decoded to float32 straight into {@code target}
     * ({@link #output}'s element count; a float32 parameter's memory): the kernels read the mapped
     * inputs as stored and write here, so no input copy and no output buffer is made.
     */
    public void mergeInto(String tensor, FloatBuffer target) {
      if (!mergesInto(tensor)) {
        throw new IllegalStateException(tensor + " is not merged on the host");
      }
      merger.intoFloat32(plan, item(tensor), target);
    }

    private MergePlan.Item item(String tensor) {
      MergePlan.Item item = items.get(tensor);
      if (item == null) {
        throw new IllegalArgumentException("tensor " + tensor + " is not in " + base.root());
      }
      return item;
    }
  }

  @Override
  public void close() {
    base.close();
    sources.forEach(Checkpoint::close);
  }
}
