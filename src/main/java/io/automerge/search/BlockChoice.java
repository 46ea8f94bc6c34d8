package io.automerge.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one block gets in a trial: a merge technique, one weight per source model (as the merge
 * uses them; for two models [w, 1 − w]) and the density, or null where the technique has none.
 */
public record BlockChoice(String technique, List<Double> weights, Double density) {
  public BlockChoice {
    weights = List.copyOf(weights);
  }

  /**
   * The parameters a merge recipe needs for this block, as the technique's declaration maps the
   * choice ({@link io.automerge.merge.MergeMethod#searchParameters}): usually {@code weights} and,
   * if active, {@code density}.
   */
  public Map<String, Object> toRecipeParameters() {
    var method = io.automerge.merge.MergeMethods.find(technique);
    if (method.isPresent()) {
      return method.get().searchParameters(weights, density);
    }
    Map<String, Object> parameters = new LinkedHashMap<>(); // an unknown name fails where it is resolved
    parameters.put("weights", weights);
    if (density != null) {
      parameters.put("density", density);
    }
    return parameters;
  }
}
