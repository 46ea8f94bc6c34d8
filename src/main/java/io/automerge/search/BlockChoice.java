package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.automerge.merge.MergeMethods;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one block gets in a trial: a merge technique, one weight per source model (as the merge
 * uses them; for two models on the simplex [w, 1 − w]) and the value of each other parameter the
 * search chose for the technique, by its declared name ({@code density}, {@code lambda},
 * {@code gamma}, {@code t}, ...; see {@link io.automerge.merge.MergeMethod#searchedParameters}).
 * In JSON: {@code {"technique": "ties", "weights": [..], "parameters": {"density": 0.7}}}; a choice
 * persisted before the parameters were a map ({@code "density": 0.7, "lambda": null}) reads as the same choice.
 * (The map comes before the weights in the constructor so that {@code new BlockChoice(t, w, null)},
 * a choice without density, stays unambiguous.)
 */
@JsonPropertyOrder({"technique", "weights", "parameters"})
public record BlockChoice(String technique, Map<String, Double> parameters, List<Double> weights) {
  public static final String DENSITY = "density";
  public static final String LAMBDA = "lambda";

  public BlockChoice {
    weights = List.copyOf(weights);
    Map<String, Double> present = new LinkedHashMap<>();
    if (parameters != null) {
      parameters.forEach((name, value) -> {
        if (value != null) {
          present.put(name, value);
        }
      });
    }
    parameters = Collections.unmodifiableMap(present);
  }

  /** A choice with a density (or none) and a lambda (or none, the technique's default). */
  public BlockChoice(String technique, List<Double> weights, Double density, Double lambda) {
    this(technique, densityAndLambda(density, lambda), weights);
  }

  public BlockChoice(String technique, List<Double> weights, Double density) {
    this(technique, weights, density, null);
  }

  /** Reads both forms: {@code parameters} now, the fixed {@code density} and {@code lambda} fields of older journals. */
  @JsonCreator
  static BlockChoice fromJson(@JsonProperty("technique") String technique, @JsonProperty("weights") List<Double> weights,
      @JsonProperty("parameters") Map<String, Double> parameters, @JsonProperty("density") Double density,
      @JsonProperty("lambda") Double lambda) {
    Map<String, Double> all = new LinkedHashMap<>(densityAndLambda(density, lambda));
    if (parameters != null) {
      all.putAll(parameters);
    }
    return new BlockChoice(technique, all, weights == null ? List.of() : weights);
  }

  private static Map<String, Double> densityAndLambda(Double density, Double lambda) {
    Map<String, Double> parameters = new LinkedHashMap<>();
    parameters.put(DENSITY, density);
    parameters.put(LAMBDA, lambda);
    return parameters;
  }

  /** The chosen value of {@code name}, or null where the technique has none or the search left it alone. */
  public Double parameter(String name) {
    return parameters.get(name);
  }

  /** The chosen density, or null. */
  public Double density() {
    return parameters.get(DENSITY);
  }

  /** The chosen lambda, or null for the technique's default (1). */
  public Double lambda() {
    return parameters.get(LAMBDA);
  }

  /** The weights as the merge uses them, or null for a technique that takes none (model_stock, slerp). */
  public List<Double> effectiveWeights() {
    boolean takesNone = MergeMethods.find(technique).map(m -> m.parameter(io.automerge.merge.MergeMethod.WEIGHT) == null).orElse(false);
    return takesNone ? null : weights;
  }

  /**
   * The parameters a merge recipe needs for this block, as the technique's declaration maps the
   * choice ({@link io.automerge.merge.MergeMethod#recipeParameters}): usually {@code weights} and the
   * chosen values.
   */
  public Map<String, Object> toRecipeParameters() {
    var method = MergeMethods.find(technique);
    if (method.isPresent()) {
      return method.get().recipeParameters(weights, parameters);
    }
    Map<String, Object> recipe = new LinkedHashMap<>(); // an unknown name fails where it is resolved
    recipe.put("weights", weights);
    recipe.putAll(parameters);
    return recipe;
  }
}
