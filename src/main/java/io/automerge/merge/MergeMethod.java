package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A merge technique. It declares itself -- name, pretty name, paper, parameters as data -- and
 * merges one tensor: a pure function of the base, the sources, the resolved parameters and the
 * mask key, with no file I/O, so the CLI engine and a GPU worker with resident tensors share it.
 */
public sealed interface MergeMethod permits LinearMerge, GeneralizedTaskArithmetic, Slerp, ModelStock {

  /** The recipe name, e.g. "ties" (mergekit's names). */
  String name();

  String prettyName();

  String paperUrl();

  /** Every parameter, global and per model, with defaults and ranges. */
  List<ParameterSpec> parameters();

  /** Whether a base model is required (task vectors are differences to it). */
  boolean needsBase();

  /** The fewest source models the technique accepts. */
  int minModels();

  /** The most source models the technique accepts. */
  default int maxModels() {
    return Integer.MAX_VALUE;
  }

  /** Checks what single declarations cannot (a relation between parameters); field names the place. */
  default void check(ResolvedParams params, String field) {}

  /**
   * The recipe parameters of a search's choice for this technique: the per-model weights and, if
   * the technique takes one, the density. Techniques whose knobs differ map the choice here, so
   * the search needs to know nothing about them.
   */
  default java.util.Map<String, Object> searchParameters(List<Double> weights, Double density) {
    java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
    if (parameter("weight") != null) {
      parameters.put("weights", weights);
    }
    if (density != null && takesDensity()) {
      parameters.put("density", density);
    }
    return parameters;
  }

  /**
   * Whether a search's per-model weights change this technique's result (they become its
   * {@code weight}s, or what {@link #searchParameters} maps them to); a search has no weights to
   * choose for a technique without them.
   */
  default boolean takesSearchWeights() {
    return parameter("weight") != null;
  }

  /** Whether a search explores a density for this technique (it declares a searchable one). */
  default boolean takesDensity() {
    ParameterSpec density = parameter("density");
    return density != null && density.searchable();
  }

  /** Whether a search can use this technique with {@code models} source models. */
  default boolean searchableWith(int models) {
    return models >= minModels() && models <= maxModels();
  }

  /**
   * Merges one tensor in float32.
   *
   * @param resultManager owns the returned array (temporaries live in a sub-manager and are freed)
   * @param base the base tensor as float32, or null when the technique needs no base
   * @param sources the source models' tensors, float32, the base's shape and device
   * @param params this block's parameters, resolved against {@link #parameters()}
   * @param key names the random streams of masks (unused by deterministic techniques)
   * @return the merged tensor, float32, on the sources' device
   */
  NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key);

  /** Convenience for resident tensors: the result belongs to the first source's manager. */
  default NDArray merge(NDArray base, List<NDArray> sources, ResolvedParams params, MaskKey key) {
    return merge(sources.get(0).getManager(), base, Sources.of(sources), params, key);
  }

  /** The declaration named {@code name}, or null. */
  default ParameterSpec parameter(String name) {
    return parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}
