package io.automerge.trial;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.merge.BlockRecipe;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeRecipe;
import io.automerge.merge.ResolvedParams;
import io.automerge.merge.StreamedMerge;
import io.automerge.tensor.Checkpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A worker's weights for one search: the one {@link ResidentModel}, and the base and sources kept
 * memory-mapped on the host. Applying a recipe merges each tensor in float32 from the mapped
 * inputs (or from the {@link SourceCache}) and writes it into the resident parameter, so the
 * model holds exactly the bytes {@code automerge merge} of that recipe writes. A block whose
 * technique and parameters equal what was last written keeps its tensors.
 */
public final class StreamedWeights implements AutoCloseable {
  /**
   * What one {@link #apply} did; {@code tensorsInPlace} of the written tensors were merged by the
   * host kernels straight into the parameter's memory (a float32 model on the CPU).
   */
  public record Applied(int tensorsWritten, int blocksWritten, int blocksKept, long nanos, int tensorsInPlace) {}

  /** A block's merge as written: equal keys give equal tensors (same seed, same inputs). */
  private record Written(MergeMethod method, ResolvedParams params) {}

  private final StreamedMerge inputs;
  private final ResidentModel resident;
  private final SourceCache cache;
  private final Map<String, Written> written = new HashMap<>();

  private StreamedWeights(StreamedMerge inputs, ResidentModel resident, SourceCache cache) {
    this.inputs = inputs;
    this.resident = resident;
    this.cache = cache;
  }

  /**
   * Maps base and sources, builds the resident model in {@code manager} (its device) and writes the
   * base into it. {@code cacheSources} ({@code auto|on|off}) decides whether float32 copies of base
   * and sources are kept on the device too; {@code freeBytes} is asked only for {@code auto}.
   */
  public static StreamedWeights open(Path base, List<Path> sources, long seed, String modelDtype, String cacheSources,
      LongSupplier freeBytes, NDManager manager) {
    Device device = manager.getDevice();
    StreamedMerge inputs = StreamedMerge.open(base, sources, device);
    try {
      Checkpoint baseCheckpoint = inputs.base();
      var dtype = ModelDtype.resident(modelDtype, device, firstFloatDtype(baseCheckpoint), "model_dtype");
      ResidentModel resident = ResidentModel.load(baseCheckpoint, dtype, manager);
      SourceCache cache = null;
      if (CacheSources.decide(cacheSources, sources.size(), resident.float32Bytes(), freeBytes)) {
        cache = SourceCache.load(baseCheckpoint, inputs.sources(), resident.model().parametersByName().keySet(), seed, manager);
      }
      return new StreamedWeights(inputs, resident, cache);
    } catch (RuntimeException e) {
      inputs.close();
      throw e;
    }
  }

  private static io.automerge.tensor.DType firstFloatDtype(Checkpoint checkpoint) {
    return checkpoint.names().stream().map(n -> checkpoint.info(n).dtype()).filter(io.automerge.tensor.DType::isFloat)
        .findFirst().orElse(io.automerge.tensor.DType.F32);
  }

  public ResidentModel resident() {
    return resident;
  }

  public int modelCount() {
    return inputs.sources().size();
  }

  /** Whether float32 copies of base and sources sit on the device ({@code cache_sources_on_device}). */
  public boolean cachesSources() {
    return cache != null;
  }

  /** Every tensor of the base checkpoint (a recipe must place each one). */
  public List<String> checkpointTensors() {
    return inputs.base().names();
  }

  /**
   * Writes {@code recipe}'s merge into the resident model, block by block, skipping blocks whose
   * technique and parameters are those last written; temporaries live in sub-managers of
   * {@code scope}, one per tensor.
   */
  public Applied apply(MergeRecipe recipe, NDManager scope) {
    long start = System.nanoTime();
    StreamedMerge.Plan plan = inputs.plan(recipe);
    Map<String, List<String>> byBlock = new LinkedHashMap<>();
    Map<String, BlockRecipe> blocks = new HashMap<>();
    for (String name : resident.model().parametersByName().keySet()) {
      BlockRecipe block = plan.block(name);
      byBlock.computeIfAbsent(block.name(), k -> new java.util.ArrayList<>()).add(name);
      blocks.put(block.name(), block);
    }
    int tensors = 0;
    int inPlaceCount = 0;
    int kept = 0;
    for (Map.Entry<String, List<String>> e : byBlock.entrySet()) {
      BlockRecipe block = blocks.get(e.getKey());
      Written now = new Written(block.method(), block.params());
      if (now.equals(written.get(e.getKey()))) {
        kept++;
        continue;
      }
      written.remove(e.getKey()); // a failure half-way leaves the block unknown
      for (String name : e.getValue()) {
        java.nio.FloatBuffer inPlace = cache == null && plan.mergesInto(name) ? resident.float32View(name) : null;
        if (inPlace != null) {
          plan.mergeInto(name, inPlace); // CPU, float32 model: the kernels write the parameter itself
          inPlaceCount++;
        } else {
          try (NDManager tensorScope = scope.newSubManager()) {
            var output = plan.output(name);
            resident.write(output, cache != null ? cache.encoded(name, block, output, tensorScope) : plan.encoded(name, tensorScope));
          }
        }
        tensors++;
      }
      written.put(e.getKey(), now);
    }
    return new Applied(tensors, byBlock.size() - kept, kept, System.nanoTime() - start, inPlaceCount);
  }

  /** Puts source {@code index}'s weights into the model (to score it); the next apply writes every block. */
  public void loadSource(int index) {
    written.clear();
    resident.loadAll(inputs.sources().get(index));
  }

  /** Puts the base's weights into the model; the next apply writes every block. */
  public void loadBase() {
    written.clear();
    resident.loadAll(inputs.base());
  }

  @Override
  public void close() {
    inputs.close();
  }
}
