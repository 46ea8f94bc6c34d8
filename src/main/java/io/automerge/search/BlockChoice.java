package io.automerge.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one block gets in a trial: a merge technique, one weight per source model (as the merge
 * uses them; for two models on the simplex [w, 1 − w]), the density, or null where the technique
 * has none, and lambda, or null for the technique's default (1).
 */
public record BlockChoice(String technique, List<Double> weights, Double density, Double lambda) {
  public BlockChoice {
    weights = List.copyOf(weights);
  }

  public BlockChoice(String technique, List<Double> weights, Double density) {
    this(technique, weights, density, null);
  }

  /** The weights as the merge uses them, or null for a technique that takes none (model_stock). */
  public List<Double> effectiveWeights() {
    boolean takesNone = io.automerge.merge.MergeMethods.find(technique).map(m -> !m.takesSearchWeights()).orElse(false);
    return takesNone ? null : weights;
  }

  /**
   * The parameters a merge recipe needs for this block, as the technique's declaration maps the
   * choice ({@link io.automerge.merge.MergeMethod#searchParameters}): usually {@code weights} and,
   * if active, {@code density}; and {@code lambda} when the search chose one.
   */
  public Map<String, Object> toRecipeParameters() {
    var method = io.automerge.merge.MergeMethods.find(technique);
    if (method.isPresent()) {
      Map<String, Object> parameters = new LinkedHashMap<>(method.get().searchParameters(weights, density));
      if (lambda != null && method.get().parameter("lambda") != null) {
        parameters.put("lambda", lambda);
      }
      return parameters;
    }
    Map<String, Object> parameters = new LinkedHashMap<>(); // an unknown name fails where it is resolved
    parameters.put("weights", weights);
    if (density != null) {
      parameters.put("density", density);
    }
    if (lambda != null) {
      parameters.put("lambda", lambda);
    }
    return parameters;
  }
}
