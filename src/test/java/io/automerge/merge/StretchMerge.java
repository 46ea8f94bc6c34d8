package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.merge.ParameterSpec.Range;
import io.automerge.merge.ParameterSpec.Scope;
import java.util.List;

/**
 * A technique that exists only in the tests, to show that one file plus its registration is a new
 * technique everywhere: θ₀ + s · Σ wᵢ (θᵢ − θ₀), with its own searched knob {@code stretch} s in
 * [0.5, 1.5] (fixed plans: 1, which is task arithmetic). Not registered unless a test does.
 */
public final class StretchMerge implements MergeMethod {
  public static final String NAME = "stretch";

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.number("weight", Scope.PER_MODEL, 1.0, Range.anyFinite(), "weight of each model's task vector")
          .searched(Range.closed(0, 1), 0.5),
      ParameterSpec.number("stretch", Scope.GLOBAL, 1.0, Range.openClosed(0, 4), "scale of the summed task vectors")
          .searched(Range.closed(0.5, 1.5), 1.0));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String prettyName() {
    return "Stretch (test only)";
  }

  @Override
  public String paperUrl() {
    return "https://example.org/stretch";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  @Override
  public boolean needsBase() {
    return true;
  }

  @Override
  public int minModels() {
    return 1;
  }

  @Override
  public NDArray merge(NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    double[] weights = params.values("weight");
    float stretch = (float) params.number("stretch");
    try (NDManager scope = resultManager.newSubManager()) {
      NDArray sum = null;
      for (int i = 0; i < sources.size(); i++) {
        NDArray tau = Scopes.own(scope, sources.load(i, scope).sub(base)).muli((float) weights[i]);
        sum = sum == null ? tau : sum.addi(tau);
      }
      NDArray result = Scopes.own(scope, base.add(sum.muli(stretch)));
      return Scopes.own(resultManager, result);
    }
  }
}
