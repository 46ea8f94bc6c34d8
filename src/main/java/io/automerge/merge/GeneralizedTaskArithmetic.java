package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.automerge.merge.ParameterSpec.Range;
import io.automerge.merge.ParameterSpec.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * Task Arithmetic, TIES, DARE-Linear and DARE-TIES as one algorithm over task vectors
 * tau_i = theta_i - theta_0: sparsify each tau_i (none | magnitude | random), optionally keep only
 * the entries agreeing with the elected sign, then theta_0 + lambda * sum(w_i a_i tau_i), divided
 * by sum(w_i a_i) when normalizing (a zero divisor counts as 1).
 *
 * <p>Memory: sources are loaded one at a time and each task vector is consumed before the next;
 * the sign consensus is decided in the same single pass (see {@link SignSplit}).
 */
public final class GeneralizedTaskArithmetic implements MergeMethod {

  public enum Sparsification { NONE, MAGNITUDE, RANDOM }

  public enum Consensus { NONE, SIGN }

  /** How DARE compensates the dropped entries. */
  public enum Rescale {
    /** divide the kept entries by the density (the DARE paper) */
    INVERSE_DENSITY,
    /** scale the kept entries so that sum|tau_hat| = sum|tau| (mergekit >= 2025) */
    L1;

    public String recipeName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static final GeneralizedTaskArithmetic TASK_ARITHMETIC = new GeneralizedTaskArithmetic(
      "task_arithmetic", "Task Arithmetic", "https://arxiv.org/abs/2212.04089",
      Sparsification.NONE, Consensus.NONE, false);
  static final GeneralizedTaskArithmetic TIES = new GeneralizedTaskArithmetic(
      "ties", "TIES", "https://arxiv.org/abs/2306.01708",
      Sparsification.MAGNITUDE, Consensus.SIGN, true);
  static final GeneralizedTaskArithmetic DARE_LINEAR = new GeneralizedTaskArithmetic(
      "dare_linear", "DARE-Linear", "https://arxiv.org/abs/2311.03099",
      Sparsification.RANDOM, Consensus.NONE, false);
  static final GeneralizedTaskArithmetic DARE_TIES = new GeneralizedTaskArithmetic(
      "dare_ties", "DARE-TIES", "https://arxiv.org/abs/2311.03099",
      Sparsification.RANDOM, Consensus.SIGN, false);

  private final String name;
  private final String prettyName;
  private final String paperUrl;
  private final Sparsification sparsification;
  private final Consensus consensus;
  private final List<ParameterSpec> parameters;

  private GeneralizedTaskArithmetic(
      String name, String prettyName, String paperUrl,
      Sparsification sparsification, Consensus consensus, boolean normalizeByDefault) {
    this.name = name;
    this.prettyName = prettyName;
    this.paperUrl = paperUrl;
    this.sparsification = sparsification;
    this.consensus = consensus;
    List<ParameterSpec> declared = new ArrayList<>();
    declared.add(ParameterSpec.number("weight", Scope.PER_MODEL, 1.0, Range.anyFinite(),
        Range.closed(0, 1), "weight of each model's task vector"));
    if (sparsification != Sparsification.NONE) {
      declared.add(ParameterSpec.number("density", Scope.PER_MODEL, 1.0, Range.openClosed(0, 1),
          Range.closed(0.5, 1), "fraction of each task vector kept"));
    }
    declared.add(ParameterSpec.number("lambda", Scope.GLOBAL, 1.0, Range.anyFinite(), null,
        "scale of the merged task vector"));
    declared.add(ParameterSpec.flag("normalize", normalizeByDefault,
        "divide by the sum of the (agreeing) weights"));
    if (sparsification == Sparsification.RANDOM) {
      declared.add(ParameterSpec.choice("rescale", Rescale.INVERSE_DENSITY.recipeName(),
          List.of(Rescale.INVERSE_DENSITY.recipeName(), Rescale.L1.recipeName()),
          "how kept entries compensate the dropped ones"));
    }
    this.parameters = List.copyOf(declared);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String prettyName() {
    return prettyName;
  }

  @Override
  public String paperUrl() {
    return paperUrl;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return parameters;
  }

  public Sparsification sparsification() {
    return sparsification;
  }

  public Consensus consensus() {
    return consensus;
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
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    if (base == null) {
      throw new IllegalArgumentException(name + " needs a base tensor");
    }
    double[] weights = params.values("weight");
    double[] densities = sparsification == Sparsification.NONE ? null : params.values("density");
    float lambda = (float) params.number("lambda");
    boolean normalize = params.flag("normalize");
    Rescale rescale = sparsification == Sparsification.RANDOM
        ? Rescale.valueOf(params.choice("rescale").toUpperCase(java.util.Locale.ROOT))
        : Rescale.INVERSE_DENSITY;

    try (NDManager scope = resultManager.newSubManager()) {
      Accumulator acc = consensus == Consensus.NONE
          ? new Plain(scope, base) : new SignSplit(scope, base, normalize);
      for (int i = 0; i < sources.size(); i++) {
        try (NDManager step = scope.newSubManager()) {
          NDArray tau = Scopes.own(step, sources.load(i, step).sub(base));
          sparsify(step, tau, densities == null ? 1 : densities[i], rescale, key, i);
          acc.add(step, tau, (float) weights[i]);
        }
      }
      NDArray merged = acc.finish(scope, weights, normalize);
      return Scopes.own(resultManager, merged.muli(lambda).addi(base));
    }
  }

  /** Sums weighted sparsified task vectors, consuming each (it may be modified in place). */
  private interface Accumulator {
    void add(NDManager step, NDArray tau, float weight);

    /** The (normalized) merged task vector, owned by {@code scope}. */
    NDArray finish(NDManager scope, double[] weights, boolean normalize);
  }

  /** No consensus: sum(w_i tau_i), over sum(w_i) when normalizing. */
  private static final class Plain implements Accumulator {
    private final NDArray sum;

    Plain(NDManager scope, NDArray base) {
      sum = Scopes.own(scope, base.zerosLike());
    }

    @Override
    public void add(NDManager step, NDArray tau, float weight) {
      sum.addi(tau.muli(weight));
    }

    @Override
    public NDArray finish(NDManager scope, double[] weights, boolean normalize) {
      if (!normalize) {
        return sum;
      }
      double divisor = 0;
      for (double w : weights) {
        divisor += w;
      }
      return sum.divi(divisor == 0 ? 1f : (float) divisor);
    }
  }

  /**
   * Sign consensus in one pass over the sources: the positive and the negative parts of the
   * weighted task vectors are summed apart (and their weights, for normalizing). The elected
   * sign is that of their total, +1 where it is 0, and the agreeing entries are exactly the
   * part of that sign -- a zero belongs to neither part, so it never agrees. No source is
   * loaded twice and no mask is kept.
   */
  private static final class SignSplit implements Accumulator {
    private final NDArray positive;
    private final NDArray negative;
    private final NDArray positiveWeight;
    private final NDArray negativeWeight;

    SignSplit(NDManager scope, NDArray base, boolean normalize) {
      positive = Scopes.own(scope, base.zerosLike());
      negative = Scopes.own(scope, base.zerosLike());
      positiveWeight = normalize ? Scopes.own(scope, base.zerosLike()) : null;
      negativeWeight = normalize ? Scopes.own(scope, base.zerosLike()) : null;
    }

    @Override
    public void add(NDManager step, NDArray tau, float weight) {
      NDArray up = Scopes.own(step, tau.clip(0f, Float.POSITIVE_INFINITY));
      NDArray down = tau.subi(up); // tau's negative part, in place
      if (positiveWeight != null) {
        positiveWeight.addi(Scopes.own(step, Scopes.own(step, up.gt(0f)).toType(DataType.FLOAT32, false)).muli(weight));
        negativeWeight.addi(Scopes.own(step, Scopes.own(step, down.lt(0f)).toType(DataType.FLOAT32, false)).muli(weight));
      }
      positive.addi(up.muli(weight));
      negative.addi(down.muli(weight));
    }

    @Override
    public NDArray finish(NDManager scope, double[] weights, boolean normalize) {
      NDArray elected = Scopes.own(scope, Scopes.own(scope, positive.add(negative)).gte(0f));
      NDArray numerator = Scopes.own(scope, NDArrays.where(elected, positive, negative));
      positive.close();
      negative.close();
      if (positiveWeight == null) {
        return numerator;
      }
      NDArray divisor = Scopes.own(scope, NDArrays.where(elected, positiveWeight, negativeWeight));
      positiveWeight.close();
      negativeWeight.close();
      // a zero divisor (no model agrees) counts as 1; the numerator is 0 there anyway
      NDArray safe = Scopes.own(scope, divisor.eq(0f));
      divisor.addi(safe);
      return numerator.divi(divisor);
    }
  }

  /** Zeroes the dropped entries of tau in place and rescales the kept ones. */
  private void sparsify(
      NDManager step, NDArray tau, double density, Rescale rescale, MaskKey key, int model) {
    if (sparsification == Sparsification.NONE || density >= 1) {
      return;
    }
    NDArray mask = sparsification == Sparsification.MAGNITUDE
        ? MagnitudeTrim.keepMask(step, tau, density)
        : DareMask.keepMask(step, tau.getShape(), key.streamSeed(model), density);
    if (mask == null) {
      return;
    }
    if (sparsification == Sparsification.RANDOM) {
      float scale = rescaleFactor(tau, mask, density, rescale);
      tau.muli(mask);
      if (rescale == Rescale.INVERSE_DENSITY) {
        tau.divi((float) density);
      } else if (scale != 1f) {
        tau.muli(scale);
      }
    } else {
      tau.muli(mask);
    }
  }

  private static float rescaleFactor(NDArray tau, NDArray mask, double density, Rescale rescale) {
    if (rescale == Rescale.INVERSE_DENSITY) {
      return 1f; // divided by the density instead, as the formula says
    }
    try (NDManager work = tau.getManager().newSubManager()) {
      double before = Scopes.own(work, Scopes.own(work, tau.abs()).sum()).getFloat();
      NDArray kept = Scopes.own(work, tau.mul(mask));
      double after = Scopes.own(work, Scopes.own(work, kept.abs()).sum()).getFloat();
      return after > 0 ? (float) (before / after) : 1f;
    }
  }
}
