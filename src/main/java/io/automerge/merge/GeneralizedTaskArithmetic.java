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
 * <p>Memory: sources are loaded one at a time; the sign consensus needs two passes, so the
 * sparsification masks of the first pass are kept (one byte per element and model) rather than
 * the sparsified task vectors (four bytes).
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

  /** A sparsified task vector's recipe: keep-mask (null = keep all) and a scale factor. */
  private record Sparsified(NDArray mask, float scale) {}

  @Override
  public NDArray merge(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    if (base == null) {
      throw new IllegalArgumentException(name + " needs a base tensor");
    }
    int n = sources.size();
    double[] weights = params.values("weight");
    double[] densities = sparsification == Sparsification.NONE ? null : params.values("density");
    float lambda = (float) params.number("lambda");
    boolean normalize = params.flag("normalize");
    Rescale rescale = sparsification == Sparsification.RANDOM
        ? Rescale.valueOf(params.choice("rescale").toUpperCase(java.util.Locale.ROOT))
        : Rescale.INVERSE_DENSITY;

    try (NDManager scope = resultManager.newSubManager()) {
      List<Sparsified> sparsified = new ArrayList<>(n);
      NDArray sum = Scopes.own(scope, base.zerosLike());
      for (int i = 0; i < n; i++) {
        try (NDManager step = scope.newSubManager()) {
          NDArray tau = Scopes.own(step, sources.load(i, step).sub(base));
          Sparsified s = sparsify(scope, tau, densities == null ? 1 : densities[i], rescale, key, i);
          sparsified.add(s);
          apply(tau, s);
          sum.addi(tau.muli((float) weights[i]));
        }
      }
      NDArray merged = consensus == Consensus.NONE
          ? normalizeWithoutConsensus(sum, weights, normalize)
          : agreeing(scope, base, sources, sum, sparsified, weights, normalize);
      NDArray result = merged.muli(lambda).addi(base);
      return Scopes.own(resultManager, result);
    }
  }

  private static NDArray normalizeWithoutConsensus(NDArray sum, double[] weights, boolean normalize) {
    if (!normalize) {
      return sum;
    }
    double divisor = 0;
    for (double w : weights) {
      divisor += w;
    }
    return sum.divi(divisor == 0 ? 1f : (float) divisor);
  }

  /** Elect the sign of the weighted sum (+1 where it is 0), then sum only agreeing entries. */
  private static NDArray agreeing(
      NDManager scope, NDArray base, Sources sources, NDArray electionSum,
      List<Sparsified> sparsified, double[] weights, boolean normalize) {
    NDArray positive = Scopes.own(scope, electionSum.gte(0f));
    electionSum.close();
    NDArray numerator = Scopes.own(scope, base.zerosLike());
    NDArray divisor = normalize ? Scopes.own(scope, base.zerosLike()) : null;
    for (int i = 0; i < sources.size(); i++) {
      try (NDManager step = scope.newSubManager()) {
        NDArray tau = Scopes.own(step, sources.load(i, step).sub(base));
        apply(tau, sparsified.get(i));
        // a zero never agrees: (tau > 0) == positive only counts where tau != 0
        NDArray agree = Scopes.own(step,
            tau.gt(0f).eq(positive).logicalAnd(tau.neq(0f)));
        float w = (float) weights[i];
        numerator.addi(tau.muli(agree).muli(w));
        if (divisor != null) {
          divisor.addi(Scopes.own(step, agree.toType(DataType.FLOAT32, false)).muli(w));
        }
      }
    }
    if (divisor == null) {
      return numerator;
    }
    NDArray safe = Scopes.own(scope,
        NDArrays.where(divisor.eq(0f), Scopes.own(scope, divisor.onesLike()), divisor));
    return numerator.divi(safe);
  }

  private Sparsified sparsify(
      NDManager scope, NDArray tau, double density, Rescale rescale, MaskKey key, int model) {
    switch (sparsification) {
      case NONE:
        return new Sparsified(null, 1f);
      case MAGNITUDE:
        return new Sparsified(MagnitudeTrim.keepMask(scope, tau, density), 1f);
      case RANDOM:
        if (density >= 1) {
          return new Sparsified(null, 1f);
        }
        NDArray mask = DareMask.keepMask(scope, tau.getShape(), key.streamSeed(model), density);
        return new Sparsified(mask, rescaleFactor(tau, mask, density, rescale));
      default:
        throw new IllegalStateException("unknown sparsification " + sparsification);
    }
  }

  private static float rescaleFactor(NDArray tau, NDArray mask, double density, Rescale rescale) {
    if (rescale == Rescale.INVERSE_DENSITY) {
      return (float) (1.0 / density);
    }
    try (NDManager work = tau.getManager().newSubManager()) {
      double before = Scopes.own(work, Scopes.own(work, tau.abs()).sum()).getFloat();
      NDArray kept = Scopes.own(work, tau.mul(mask));
      double after = Scopes.own(work, Scopes.own(work, kept.abs()).sum()).getFloat();
      return after > 0 ? (float) (before / after) : 1f;
    }
  }

  private static void apply(NDArray tau, Sparsified s) {
    if (s.mask() != null) {
      tau.muli(s.mask());
    }
    if (s.scale() != 1f) {
      tau.muli(s.scale());
    }
  }
}
