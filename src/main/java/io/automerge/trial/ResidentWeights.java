package io.automerge.trial;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.automerge.InvalidInputException;
import io.automerge.merge.MaskKey;
import io.automerge.merge.Sources;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model built from the base's config.json plus float32 copies of the base's and every source's
 * parameters, all in one manager (on its device). Merging writes into the model's parameters in
 * place: no rebuild, no reload, no files.
 */
public final class ResidentWeights {
  private final ArchitectureModel model;
  private final Map<String, NDArray> base;
  private final Map<String, List<NDArray>> sources;
  private final long seed;

  private ResidentWeights(ArchitectureModel model, Map<String, NDArray> base, Map<String, List<NDArray>> sources, long seed) {
    this.model = model;
    this.base = base;
    this.sources = sources;
    this.seed = seed;
  }

  /** Loads everything into {@code manager}; {@code seed} keys the DARE masks as a recipe's seed does. */
  public static ResidentWeights load(Path baseDir, List<Path> sourceDirs, long seed, NDManager manager) {
    ArchitectureModel model = frozen(ModelCheckpoints.load(baseDir, manager));
    Map<String, NDArray> base = new HashMap<>();
    Map<String, List<NDArray>> sources = new HashMap<>();
    model.parametersByName().forEach((name, p) -> {
      base.put(name, p.getArray().duplicate());
      sources.put(name, new ArrayList<>());
    });
    for (Path dir : sourceDirs) {
      try (Checkpoint ckpt = Checkpoint.open(dir)) {
        model.parametersByName().forEach((name, p) -> sources.get(name).add(load(ckpt, name, p.getShape(), manager)));
      }
    }
    return new ResidentWeights(model, base, sources, seed);
  }

  /**
   * Turns off gradients of every parameter. PyTorch's grad mode is per thread and on by default,
   * and the actors merge on one thread and evaluate on another: without this, writing a parameter
   * in place fails there ("a leaf Variable that requires grad...") and every forward pass would
   * record a graph nobody uses.
   */
  public static ArchitectureModel frozen(ArchitectureModel model) {
    model.parametersByName().values().forEach(p -> p.getArray().setRequiresGradient(false));
    return model;
  }

  private static NDArray load(Checkpoint ckpt, String name, Shape expected, NDManager manager) {
    if (!ckpt.contains(name)) {
      throw new InvalidInputException(ckpt.root() + ": missing tensor " + name + " (the base model has it)");
    }
    TensorInfo info = ckpt.info(name);
    if (!Arrays.equals(info.shape(), expected.getShape()) || !info.dtype().isFloat()) {
      throw new InvalidInputException(ckpt.root() + ": tensor " + name + " is " + info.dtype() + " " + Arrays.toString(info.shape())
          + ", the base model's is float " + Arrays.toString(expected.getShape()));
    }
    return Tensors.toFloat32(manager, info, ckpt.bytes(name));
  }

  public ArchitectureModel model() {
    return model;
  }

  public int modelCount() {
    return sources.values().stream().findFirst().map(List::size).orElse(0);
  }

  /** Merges every block's tensors into the model; temporaries live in sub-managers of {@code scope}. */
  public void apply(List<BlockMerge> blocks, NDManager scope) {
    for (BlockMerge block : blocks) {
      boolean needsBase = block.method().needsBase();
      for (String name : block.tensors()) {
        try (NDManager tensorScope = scope.newSubManager()) {
          NDArray merged = block.method().merge(tensorScope, needsBase ? base.get(name) : null,
              Sources.of(sources.get(name)), block.params(), new MaskKey(seed, name));
          target(name).set(everything(), merged);
        }
      }
    }
  }

  /** Puts source {@code index}'s weights into the model. */
  public void loadSource(int index) {
    sources.forEach((name, arrays) -> target(name).set(everything(), arrays.get(index)));
  }

  public void loadBase() {
    base.forEach((name, array) -> target(name).set(everything(), array));
  }

  /**
   * {@code x[...] = v}: a native in-place copy on the array's device (an empty NDIndex is refused
   * by PyTorch's index_put_, and set(ByteBuffer) would round-trip through the Java heap).
   */
  private static NDIndex everything() {
    return new NDIndex("...");
  }

  private NDArray target(String name) {
    return model.parametersByName().get(name).getArray();
  }
}
