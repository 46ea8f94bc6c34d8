package io.automerge.trial;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.merge.BlockRecipe;
import io.automerge.merge.MaskKey;
import io.automerge.merge.Sources;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Float32 copies of the base's and every source's parameters on the worker's device
 * ({@code cache_sources_on_device: on}): (N + 1) more model copies, for small models where
 * reading the mapped files each trial costs more than the memory. Merges with the technique's
 * device path, which gives the same bytes as the file-backed merge (held by a test).
 */
final class SourceCache {
  private final Map<String, NDArray> base = new HashMap<>();
  private final Map<String, List<NDArray>> sources = new HashMap<>();
  private final long seed;

  private SourceCache(long seed) {
    this.seed = seed;
  }

  /** Copies {@code tensors} of the base and the sources into {@code manager}. */
  static SourceCache load(Checkpoint baseCheckpoint, List<Checkpoint> sourceCheckpoints, Iterable<String> tensors, long seed,
      NDManager manager) {
    SourceCache cache = new SourceCache(seed);
    for (String name : tensors) {
      cache.base.put(name, Tensors.toFloat32(manager, baseCheckpoint.info(name), baseCheckpoint.bytes(name)));
      List<NDArray> copies = new ArrayList<>();
      for (Checkpoint source : sourceCheckpoints) {
        copies.add(Tensors.toFloat32(manager, source.info(name), source.bytes(name)));
      }
      cache.sources.put(name, copies);
    }
    return cache;
  }

  /** {@code name} merged by {@code block}, encoded as {@code output} says (the merge's output dtype). */
  ByteBuffer encoded(String name, BlockRecipe block, TensorSpec output, NDManager scope) {
    NDArray merged = block.method().merge(scope, block.method().needsBase() ? base.get(name) : null,
        Sources.of(sources.get(name)), block.params(), new MaskKey(seed, name));
    return Tensors.encode(merged, output.dtype());
  }

  /** Bytes the copies take on the device, for {@code models} sources and a model of {@code float32Bytes}. */
  static long bytesFor(int models, long float32Bytes) {
    return (models + 1L) * float32Bytes;
  }
}
