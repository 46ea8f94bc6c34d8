package io.automerge.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SMAC3 HPO-facade style Bayesian optimization over a {@link SearchSpace}.
 *
 * <p>Proposal k: with warm start, first every technique's uniform plan ({@link SearchSpace#uniformPlans()},
 * the fixed merges a user would try by hand, so the search starts where they end), then the base
 * model itself where the space can express it ({@link SearchSpace#basePlan()}). Then, for
 * initialPoints proposals, the points of the shifted Sobol design in order. After
 * that, with probability randomInterleave (or while fewer than two trials completed) a random
 * configuration; otherwise a random forest is trained on the history, costs log-scaled
 * ({@link LogScaledCost}), and the configuration maximizing log-EI ({@link AcquisitionMaximizer})
 * is proposed. Training targets: completed trials their cost; failed trials the worst completed
 * cost (SMAC's treatment of crashed runs: the region stays known as bad and is not retried blindly);
 * pending trials the best completed cost (constant liar, so parallel workers get different
 * proposals). Failed trials never become the incumbent.
 *
 * <p>Every random draw of proposal k comes from generators derived from (seed, k), so the same
 * state always gives the same proposal.
 */
public final class BayesianOptimizer extends Optimizer {
  private static final long PURPOSE_INTERLEAVE = 0x1L;
  private static final long PURPOSE_FOREST = 0x2L;
  private static final long PURPOSE_ACQUISITION = 0x3L;
  private static final long PURPOSE_FALLBACK = 0x4L;
  private static final int MIN_SAMPLES_SPLIT = 2;
  private static final int MIN_SAMPLES_LEAF = 1;

  public BayesianOptimizer(SearchSpace space, OptimizerSettings settings) {
    this(OptimizerState.initial(space, settings));
  }

  public BayesianOptimizer(OptimizerState state) {
    super(state);
  }

  @Override
  public Proposal propose(OptimizerState state) {
    SearchSpace space = state.space();
    OptimizerSettings settings = state.settings();
    int k = state.nextTrialNumber();
    List<TrialPlan> warm = settings.warmStart() ? warmStart(space) : List.of();
    if (k < warm.size()) {
      return new Proposal(k, warm.get(k));
    }
    int sobol = k - warm.size();
    if (sobol < settings.initialPoints()) {
      double[] unit = SobolDesign.unitPoints(space.dimensions(), settings.initialPoints(), settings.seed())[sobol];
      return new Proposal(k, space.decode(space.fromUnitCube(unit)));
    }
    Rng interleave = Rng.derive(settings.seed(), k, PURPOSE_INTERLEAVE);
    boolean random = interleave.nextDouble() < settings.randomInterleave();
    if (random || state.completed().size() < 2) {
      return new Proposal(k, space.decode(freshRandom(state, k)));
    }
    double[] point = maximizeAcquisition(state, k);
    return new Proposal(k, space.decode(point != null ? point : freshRandom(state, k)));
  }

  /** The warm start's plans: every technique's uniform plan, then the base model where the space holds it. */
  static List<TrialPlan> warmStart(SearchSpace space) {
    List<TrialPlan> plans = new ArrayList<>(space.uniformPlans());
    space.basePlan().ifPresent(plans::add);
    return plans;
  }

  private double[] maximizeAcquisition(OptimizerState state, int k) {
    SearchSpace space = state.space();
    OptimizerSettings settings = state.settings();
    TrainingSet data = TrainingSet.of(state);
    RandomForest forest = RandomForest.train(
        data.x(), LogScaledCost.transform(data.cost()), space.categories(), settings.trees(),
        MIN_SAMPLES_SPLIT, MIN_SAMPLES_LEAF, Rng.derive(settings.seed(), k, PURPOSE_FOREST));

    double[] mean = new double[data.x().length];
    double[] variance = new double[data.x().length];
    forest.predict(data.x(), mean, variance);
    double incumbent = Double.POSITIVE_INFINITY;
    for (double m : mean) {
      incumbent = Math.min(incumbent, m);
    }

    List<double[]> bestEvaluated = state.completed().stream()
        .sorted(Comparator.comparingDouble(Trial::cost))
        .limit(settings.localSearchStarts())
        .map(t -> space.encode(t.plan()))
        .toList();
    AcquisitionMaximizer maximizer = new AcquisitionMaximizer(
        space, forest, new LogExpectedImprovement(incumbent), Rng.derive(settings.seed(), k, PURPOSE_ACQUISITION));
    ModelKeys keys = new ModelKeys(space);
    return maximizer.maximize(settings.candidates(), settings.localSearchStarts(), bestEvaluated, history(state, keys), keys);
  }

  private static double[] freshRandom(OptimizerState state, int k) {
    Rng rng = Rng.derive(state.settings().seed(), k, PURPOSE_FALLBACK);
    ModelKeys keys = new ModelKeys(state.space());
    Set<List<Double>> seen = history(state, keys);
    double[] point = state.space().randomPoint(rng);
    for (int attempt = 0; attempt < 1000 && seen.contains(keys.of(point)); attempt++) {
      point = state.space().randomPoint(rng);
    }
    return point;
  }

  /** Every proposed plan's {@link ModelKeys model key}: no model is proposed twice. */
  private static Set<List<Double>> history(OptimizerState state, ModelKeys keys) {
    Set<List<Double>> seen = new HashSet<>();
    for (Trial t : state.trials()) {
      seen.add(keys.of(t.plan()));
    }
    return seen;
  }

  /** The surrogate's training rows: encoded plans and the cost each stands for (see class comment). */
  record TrainingSet(double[][] x, double[] cost) {
    static TrainingSet of(OptimizerState state) {
      double best = Double.POSITIVE_INFINITY;
      double worst = Double.NEGATIVE_INFINITY;
      for (Trial t : state.completed()) {
        best = Math.min(best, t.cost());
        worst = Math.max(worst, t.cost());
      }
      List<double[]> rows = new ArrayList<>();
      List<Double> costs = new ArrayList<>();
      for (Trial t : state.trials()) {
        double c = switch (t.status()) {
          case COMPLETED -> t.cost();
          case FAILED -> worst;
          case PENDING -> best;
        };
        if (Double.isFinite(c)) {
          rows.add(state.space().encode(t.plan()));
          costs.add(c);
        }
      }
      return new TrainingSet(rows.toArray(double[][]::new), costs.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }
}
