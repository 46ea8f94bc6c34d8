package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.merge.ParameterSpec.Range;
import io.automerge.merge.ParameterSpec.Scope;
import java.util.List;

/** Weighted average of the sources: sum(w_i * theta_i) / sum(w_i). No base needed. */
public final class LinearMerge implements MergeMethod {

  static final LinearMerge INSTANCE = new LinearMerge();

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.number("weight", Scope.PER_MODEL, 1.0, Range.anyFinite(), Range.closed(0, 1),
          "relative weight of each model"),
      ParameterSpec.flag("normalize", true, "divide by the sum of the weights"));

  private LinearMerge() {}

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public String prettyName() {
    return "Linear";
  }

  @Override
  public String paperUrl() {
    return "https://arxiv.org/abs/2203.05482";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public boolean needsBase() {
    return false;
  }

  @Override
  public int minModels() {
    return 2;
  }

  @Override
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    double[] weights = params.values("weight");
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    boolean normalize = params.flag("normalize");
    if (normalize && sum == 0) {
      throw new IllegalArgumentException("linear weights sum to 0"); // the recipe check says so first
    }
    try (NDManager scope = resultManager.newSubManager()) {
      NDArray acc = null;
      for (int i = 0; i < sources.size(); i++) {
        try (NDManager step = scope.newSubManager()) {
          // Op results belong to the operand's manager (maybe a resident one): claim them.
          NDArray weighted = Scopes.own(step, sources.load(i, step).mul((float) weights[i]));
          if (acc == null) {
            acc = Scopes.own(scope, weighted);
          } else {
            acc.addi(weighted);
          }
        }
      }
      if (normalize) {
        acc.divi((float) sum);
      }
      acc.attach(resultManager);
      return acc;
    }
  }
}
