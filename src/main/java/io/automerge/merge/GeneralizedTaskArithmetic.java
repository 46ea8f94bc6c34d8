package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.merge.ParameterSpec.Range;
import io.automerge.merge.ParameterSpec.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * Task Arithmetic, TIES, DARE, Model Breadcrumbs and DELLA as one algorithm over task vectors
 * tau_i = theta_i - theta_0: sparsify each tau_i (none | magnitude | magnitude band | random |
 * rank-weighted random), optionally keep only
 * the entries agreeing with the elected sign, then theta_0 + lambda * sum(w_i a_i tau_i), divided
 * by sum(w_i a_i) when normalizing (a zero divisor counts as 1).
 *
 * <p>Work is element-wise in slices ({@link Chunks}) with one pass over the sources; only TIES
 * trimming and DARE's L1 rescale look at whole task vectors first. The sign consensus is decided
 * in the same pass (see {@link SignSplit}).
 */
public final class GeneralizedTaskArithmetic implements MergeMethod, HostKernel {

  /**
   * NONE keeps everything; MAGNITUDE keeps the k largest |tau| (TIES); BAND drops the largest
   * gamma*n and the smallest, keeping density*n (Model Breadcrumbs); RANDOM keeps each entry
   * with probability density (DARE); RANKED keeps each entry with a probability that grows with
   * its |tau| rank in its row (DELLA's MAGPRUNE).
   */
  public enum Sparsification { NONE, MAGNITUDE, BAND, RANDOM, RANKED }

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
  static final GeneralizedTaskArithmetic BREADCRUMBS = new GeneralizedTaskArithmetic(
      "breadcrumbs", "Model Breadcrumbs", "https://arxiv.org/abs/2312.06795",
      Sparsification.BAND, Consensus.NONE, false);
  static final GeneralizedTaskArithmetic BREADCRUMBS_TIES = new GeneralizedTaskArithmetic(
      "breadcrumbs_ties", "Model Breadcrumbs with TIES", "https://arxiv.org/abs/2312.06795",
      Sparsification.BAND, Consensus.SIGN, false);
  static final GeneralizedTaskArithmetic DELLA = new GeneralizedTaskArithmetic(
      "della", "DELLA", "https://arxiv.org/abs/2406.11617",
      Sparsification.RANKED, Consensus.SIGN, true);
  static final GeneralizedTaskArithmetic DELLA_LINEAR = new GeneralizedTaskArithmetic(
      "della_linear", "DELLA-Linear", "https://arxiv.org/abs/2406.11617",
      Sparsification.RANKED, Consensus.NONE, false);

  /** DELLA keeps densities this far inside (0, 1) when a search proposes one near 1. */
  private static final double DELLA_SEARCH_MARGIN = 0.01;

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
        "weight of each model's task vector").searched(Range.closed(0, 1), 0.5));
    if (sparsification != Sparsification.NONE) {
      // searched from 0.5: below it the sources' task vectors lose too much (paper, RQ2); fixed plans use 0.65 (RQ1)
      declared.add(ParameterSpec.number("density", Scope.PER_MODEL, 1.0, Range.openClosed(0, 1),
          "fraction of each task vector kept").searched(Range.closed(0.5, 1), 0.65));
    }
    if (sparsification == Sparsification.BAND) {
      declared.add(ParameterSpec.number("gamma", Scope.GLOBAL, 0.01, new Range(0, true, 1, false),
          "fraction of the largest |tau| dropped").searched(Range.closed(0, 0.1), 0.01));
    }
    if (sparsification == Sparsification.RANKED) {
      declared.add(ParameterSpec.number("epsilon", Scope.GLOBAL, 0.1, new Range(0, true, 1, false),
          "spread of the keep probabilities around the density").searched(Range.closed(0, 0.2), 0.1));
    }
    declared.add(ParameterSpec.number("lambda", Scope.GLOBAL, 1.0, Range.anyFinite(),
        "scale of the merged task vector").searchedOnRequest(Range.closed(0.5, 2), 1.0));
    declared.add(ParameterSpec.flag("normalize", normalizeByDefault,
        "divide by the sum of the (agreeing) weights"));
    if (sparsification == Sparsification.RANDOM) {
      declared.add(ParameterSpec.choice("rescale", Rescale.INVERSE_DENSITY.recipeName(),
          List.of(Rescale.INVERSE_DENSITY.recipeName(), Rescale.L1.recipeName()),
          "how kept entries compensate the dropped ones"));
    }
    this.parameters = List.copyOf(declared);
  }

  /**
   * Base + lambda * (sum of w_i a_i tau_i, over sum of w_i a_i when normalized, a zero divisor
   * counting as 1): zero weights add zeros to the base, whatever the sparsification.
   */
  @Override
  public boolean keepsBaseAtZeroWeights() {
    return true;
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

  /** Task arithmetic (no sparsification) is element-wise: 30 % of a memory copy; the others 15 % (issue 14). */
  @Override
  public double speedTargetPercent() {
    return sparsification == Sparsification.NONE ? 30 : 15;
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
  public void check(ResolvedParams params, String field) {
    if (sparsification != Sparsification.RANKED) {
      return;
    }
    double epsilon = params.number("epsilon");
    double[] densities = params.values("density");
    for (int i = 0; i < densities.length; i++) {
      double low = densities[i] - epsilon;
      double high = densities[i] + epsilon;
      if (!(low > 0 && high < 1)) {
        throw new io.automerge.InvalidInputException(field + ".density: " + name + " keeps entries with"
            + " probabilities density - epsilon .. density + epsilon, which must lie in (0, 1); model " + (i + 1)
            + " has " + densities[i] + " +- " + epsilon);
      }
    }
  }

  /**
   * DELLA keeps entries with probabilities density ± epsilon, which must lie in (0, 1): a searched
   * epsilon shrinks to fit the density; otherwise the density moves inside (the search's density
   * range reaches 1), each {@link #DELLA_SEARCH_MARGIN} clear of the ends.
   */
  @Override
  public java.util.Map<String, Double> settle(List<Double> weights, java.util.Map<String, Double> chosen) {
    Double density = chosen.get("density");
    if (sparsification != Sparsification.RANKED || density == null) {
      return chosen;
    }
    Double searchedEpsilon = chosen.get("epsilon");
    if (searchedEpsilon != null) {
      double d = Math.max(2 * DELLA_SEARCH_MARGIN, Math.min(density, 1 - 2 * DELLA_SEARCH_MARGIN));
      double room = Math.min(d, 1 - d) - DELLA_SEARCH_MARGIN;
      chosen.put("density", d);
      chosen.put("epsilon", Math.max(0, Math.min(searchedEpsilon, room)));
    } else {
      double epsilon = (Double) parameter("epsilon").defaultValue();
      chosen.put("density", Math.max(epsilon + DELLA_SEARCH_MARGIN, Math.min(density, 1 - epsilon - DELLA_SEARCH_MARGIN)));
    }
    return chosen;
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
    if (onHost(base, params)) {
      return mergeOnHost(resultManager, base, sources, params, key);
    }
    double[] weights = params.values("weight");
    double[] densities = sparsification == Sparsification.NONE ? null : params.values("density");
    float lambda = (float) params.number("lambda");
    boolean normalize = params.flag("normalize");
    Rescale rescale = sparsification == Sparsification.RANDOM
        ? Rescale.valueOf(params.choice("rescale").toUpperCase(java.util.Locale.ROOT))
        : Rescale.INVERSE_DENSITY;

    try (NDManager scope = resultManager.newSubManager()) {
      int n = HostBuffers.checkedSize(base.getShape(), name);
      int models = sources.size();
      NDArray[] trimMasks = sparsification == Sparsification.MAGNITUDE
          ? trimMasks(scope, base, sources, densities, n) : new NDArray[models];
      float[] l1 = sparsification == Sparsification.RANDOM && rescale == Rescale.L1
          ? l1Factors(scope, base, sources, densities, key) : null;
      DareMask.Stream[] dropStreams = new DareMask.Stream[models];
      NDArray[] flats = new NDArray[models];
      for (int i = 0; i < models; i++) {
        if (sparsification == Sparsification.RANDOM && densities[i] < 1) {
          dropStreams[i] = new DareMask.Stream(key.streamSeed(i), densities[i]);
        }
        flats[i] = Chunks.flat(scope, sources.load(i, scope), n);
      }
      NDArray baseFlat = Chunks.flat(scope, base, n);
      NDArray result = Scopes.own(scope, scope.create(new Shape(n), DataType.FLOAT32));
      int chunk = Chunks.chunkSize(base, n);
      for (int start = 0; start < n; start += chunk) {
        int end = Math.min(n, start + chunk);
        try (NDManager step = scope.newSubManager()) {
          NDArray theta0 = Chunks.slice(step, baseFlat, start, end);
          TaskVectorSums.Accumulator acc = consensus == Consensus.NONE
              ? new TaskVectorSums.Plain() : new TaskVectorSums.SignSplit(step, theta0, normalize);
          for (int i = 0; i < models; i++) {
            NDArray tau = Scopes.own(step, Chunks.slice(step, flats[i], start, end).sub(theta0));
            if (trimMasks[i] != null) {
              tau.muli(Chunks.slice(step, trimMasks[i], start, end));
            }
            if (dropStreams[i] != null) {
              tau.muli(dropStreams[i].next(step, end - start));
              if (l1 == null) {
                tau.divi((float) densities[i]);
              } else if (l1[i] != 1f) {
                tau.muli(l1[i]);
              }
            }
            acc.add(step, tau, (float) weights[i]);
          }
          NDArray merged = acc.finish(step, weights, normalize);
          if (lambda != 1f) { // x * 1 == x: skip the pass
            merged.muli(lambda);
          }
          merged.addi(theta0);
          Chunks.write(result, start, end, merged);
        }
      }
      return Scopes.own(resultManager, result.reshape(base.getShape()));
    }
  }

  /**
   * The fused Java pass ({@link TaskVectorKernel}) on CPU, and for the sparsifications only it
   * implements; DARE's L1 rescale stays on the PyTorch path.
   */
  private boolean onHost(NDArray base, ResolvedParams params) {
    if (sparsification == Sparsification.BAND || sparsification == Sparsification.RANKED) {
      return true;
    }
    return Devices.isCpu(base.getDevice()) && hostPass(params);
  }

  @Override
  public boolean hostPass(ResolvedParams params) {
    if (sparsification == Sparsification.BAND || sparsification == Sparsification.RANKED) {
      return true;
    }
    boolean l1 = sparsification == Sparsification.RANDOM
        && Rescale.L1.recipeName().equals(params.choice("rescale"));
    return !l1 && !pytorchOnly;
  }

  /** Tests compare the two paths on CPU. */
  static volatile boolean pytorchOnly = false;

  @Override
  public void mergeOnHost(FloatInput base, FloatInput[] sources, Shape shape,
      ResolvedParams params, MaskKey key, java.nio.FloatBuffer out) {
    TaskVectorKernel.merge(this, base, sources, HostBuffers.checkedSize(shape, name), HostBuffers.rowLength(shape),
        params, key, out);
  }

  private NDArray mergeOnHost(
      NDManager resultManager, NDArray base, Sources sources, ResolvedParams params, MaskKey key) {
    Shape shape = base.getShape();
    try (NDManager scope = resultManager.newSubManager()) {
      FloatInput[] thetas = new FloatInput[sources.size()];
      for (int i = 0; i < thetas.length; i++) {
        thetas[i] = FloatInput.of(HostBuffers.floats(sources.load(i, scope)));
      }
      FloatInput theta0 = FloatInput.of(HostBuffers.floats(base));
      return HostBuffers.fillOnHost(resultManager, shape, DataType.FLOAT32, out ->
          mergeOnHost(theta0, thetas, shape, params, key, out.asFloatBuffer()));
    }
  }

  /** TIES keep-masks over whole task vectors (the threshold is global), flattened; null = keep all. */
  private static NDArray[] trimMasks(
      NDManager scope, NDArray base, Sources sources, double[] densities, int n) {
    NDArray[] masks = new NDArray[sources.size()];
    for (int i = 0; i < masks.length; i++) {
      if (densities[i] >= 1) {
        continue;
      }
      try (NDManager step = scope.newSubManager()) {
        NDArray tau = Scopes.own(step, sources.load(i, step).sub(base));
        NDArray mask = MagnitudeTrim.keepMask(scope, tau, densities[i]);
        masks[i] = mask == null ? null : Chunks.flat(scope, mask, n);
      }
    }
    return masks;
  }

  /** DARE's L1 rescale factors sum|tau| / sum|m * tau|, from whole task vectors. */
  private static float[] l1Factors(
      NDManager scope, NDArray base, Sources sources, double[] densities, MaskKey key) {
    float[] factors = new float[sources.size()];
    for (int i = 0; i < factors.length; i++) {
      if (densities[i] >= 1) {
        factors[i] = 1f;
        continue;
      }
      try (NDManager step = scope.newSubManager()) {
        NDArray tau = Scopes.own(step, sources.load(i, step).sub(base));
        NDArray mask = DareMask.keepMask(step, tau.getShape(), key.streamSeed(i), densities[i]);
        double before = Scopes.own(step, Scopes.own(step, tau.abs()).sum()).getFloat();
        NDArray kept = Scopes.own(step, tau.mul(mask));
        double after = Scopes.own(step, Scopes.own(step, kept.abs()).sum()).getFloat();
        factors[i] = after > 0 ? (float) (before / after) : 1f;
      }
    }
    return factors;
  }
}
