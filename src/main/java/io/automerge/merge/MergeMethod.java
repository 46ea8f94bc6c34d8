package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A merge technique. It declares itself -- name, pretty name, paper, parameters as data -- and
 * merges one tensor: a pure function of the base, the sources, the resolved parameters and the
 * mask key, with no file I/O, so the CLI engine and a GPU worker with resident tensors share it.
 * A new technique is one implementation plus its {@link MergeMethods#register registration}; the
 * search finds its knobs in {@link #searchedParameters()}.
 */
public interface MergeMethod {

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

  /**
   * The share of a single-threaded memory copy, in percent, that {@code automerge bench merge}
   * expects this technique's merge to reach on the same data (issue 14: 15 % for the sparsifying
   * and the new techniques; the element-wise ones override it).
   */
  default double speedTargetPercent() {
    return 15;
  }

  /**
   * Whether every weight 0 merges to the base model's values, whatever the other parameters (the
   * base plus a weighted sum of task vectors, not normalized; a -0 of the base may come back +0):
   * the search's "no merge" plan ({@code SearchSpace#basePlan}) is made of such a technique.
   */
  default boolean keepsBaseAtZeroWeights() {
    return false;
  }

  /** Checks what single declarations cannot (a relation between parameters); field names the place. */
  default void check(ResolvedParams params, String field) {}

  /** The per-model weights' name: a searched {@code weight} is the search's weight vector, not a scalar. */
  String WEIGHT = "weight";

  /**
   * What a search tunes for this technique: the declarations with a {@link ParameterSpec#search()},
   * in declaration order. The search space, its encoding, the fixed plans and the reports are all
   * read from here, so a technique declares its knobs once, beside its other parameters.
   */
  default List<ParameterSpec> searchedParameters() {
    return parameters().stream().filter(ParameterSpec::searchable).toList();
  }

  /** Whether a search chooses per-model weights for this technique (it declares a searched {@code weight}). */
  default boolean searchesWeights() {
    ParameterSpec weight = parameter(WEIGHT);
    return weight != null && weight.perModel() && weight.searchable();
  }

  /** The searched parameters that are one number per block (every searched one but the weights). */
  default List<ParameterSpec> searchedScalars() {
    return searchedParameters().stream().filter(p -> !p.name().equals(WEIGHT)).toList();
  }

  /**
   * The values the fixed plans use (RQ1, the report's baselines, a warm start): each scalar the
   * technique always searches, at its declared start; with equal weights these are what a user
   * would try by hand.
   */
  default Map<String, Double> fixedValues() {
    Map<String, Double> values = new LinkedHashMap<>();
    searchedScalars().stream().filter(p -> !p.search().onRequest()).forEach(p -> values.put(p.name(), p.search().start()));
    return values;
  }

  /**
   * A search's weights moved to what this technique accepts (called on every decoded choice, so it
   * must be idempotent); as they are by default.
   */
  default List<Double> settleWeights(List<Double> weights) {
    return weights;
  }

  /**
   * A search's choice moved to what this technique accepts, for a relation between parameters that
   * independent ranges cannot express (DELLA: density ± epsilon inside (0, 1)). Called on every
   * decoded choice and again before a choice becomes a recipe, so it must be idempotent.
   *
   * @param weights the choice's per-model weights
   * @param chosen the chosen scalars by name (a map the caller owns; return it or a new one)
   */
  default Map<String, Double> settle(List<Double> weights, Map<String, Double> chosen) {
    return chosen;
  }

  /**
   * The recipe parameters of a search's choice: {@code weights} if the technique takes them, and
   * every chosen value it declares, settled, in declaration order.
   */
  default Map<String, Object> recipeParameters(List<Double> weights, Map<String, Double> chosen) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (parameter(WEIGHT) != null) {
      parameters.put("weights", weights);
    }
    Map<String, Double> settled = settle(weights, new LinkedHashMap<>(chosen));
    for (ParameterSpec declared : parameters()) {
      Double value = settled.get(declared.name());
      if (value != null && !declared.name().equals(WEIGHT)) {
        parameters.put(declared.name(), value);
      }
    }
    return parameters;
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
