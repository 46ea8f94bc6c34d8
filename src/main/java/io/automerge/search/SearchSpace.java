package io.automerge.search;

import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-block conditional space: for each block a technique (categorical), the weights, a
 * density in [densityMin, densityMax] active only for the techniques in {@code densityTechniques},
 * and optionally a scale lambda in [lambdaMin, lambdaMax] active only for {@code lambdaTechniques}.
 * Weights are either N−1 stick-breaking coordinates of the simplex ({@link SimplexWeights}: the
 * paper's w, 1 − w) or, with {@code freeWeights}, one weight per model in [weightMin, weightMax],
 * mergekit-style, so that task vectors may add up to more than one. A technique in
 * {@code weightlessTechniques} (model_stock: its ratio follows from the models) ignores weights, so
 * its weight coordinates are inactive: plans that differ only there are one configuration, which the
 * optimizer neither proposes twice nor learns from as if they differed.
 *
 * <p>Encoding (what the surrogate sees), block after block, {@link #blockWidth()} values each:
 * technique as its index in {@code techniques}, the weight coordinates in [0, 1], the density and
 * (if searched) lambda scaled to [0, 1], or −1 when inactive.
 */
public record SearchSpace(
    List<String> blocks,
    int models,
    List<String> techniques,
    Set<String> densityTechniques,
    double densityMin,
    double densityMax,
    boolean freeWeights,
    double weightMin,
    double weightMax,
    Set<String> lambdaTechniques,
    double lambdaMin,
    double lambdaMax,
    Set<String> weightlessTechniques) {

  /** Encoded value of an inactive parameter, below every active one so one split separates them. */
  public static final double INACTIVE = -1.0;

  /** Unit-scaled density a technique switched on by local search starts from (ConfigSpace's default: the middle). */
  static final double DEFAULT_UNIT_DENSITY = 0.5;

  public SearchSpace {
    blocks = List.copyOf(blocks);
    techniques = List.copyOf(techniques);
    densityTechniques = Collections.unmodifiableSet(new TreeSet<>(densityTechniques));
    lambdaTechniques = Collections.unmodifiableSet(new TreeSet<>(lambdaTechniques == null ? Set.of() : lambdaTechniques));
    weightlessTechniques = Collections.unmodifiableSet(new TreeSet<>(weightlessTechniques == null ? Set.of() : weightlessTechniques));
    requireDistinct("block", blocks);
    requireDistinct("technique", techniques);
    if (blocks.isEmpty()) {
      throw new InvalidInputException("search space: at least one block is required");
    }
    if (techniques.isEmpty()) {
      throw new InvalidInputException("search space: at least one technique is required");
    }
    if (models < 2) {
      throw new InvalidInputException("search space: models must be at least 2, got " + models);
    }
    for (String t : densityTechniques) {
      if (!techniques.contains(t)) {
        throw new InvalidInputException(
            "search space: density technique '" + t + "' is not among the techniques " + techniques);
      }
    }
    for (String t : lambdaTechniques) {
      if (!techniques.contains(t)) {
        throw new InvalidInputException("search space: lambda technique '" + t + "' is not among the techniques " + techniques);
      }
    }
    if (freeWeights && !(weightMin >= 0 && weightMin < weightMax)) {
      throw new InvalidInputException("search space: weight range must satisfy 0 <= min < max, got [" + weightMin + ", " + weightMax + "]");
    }
    if (!lambdaTechniques.isEmpty() && !(lambdaMin > 0 && lambdaMin < lambdaMax)) {
      throw new InvalidInputException("search space: lambda range must satisfy 0 < min < max, got [" + lambdaMin + ", " + lambdaMax + "]");
    }
    if (!(densityMin > 0 && densityMin <= densityMax && densityMax <= 1)) {
      throw new InvalidInputException(
          "search space: density range must satisfy 0 < min <= max <= 1, got [" + densityMin + ", " + densityMax + "]");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requireDistinct(String what, Collection<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank() || !seen.add(name)) {
        throw new InvalidInputException("search space: " + what + " names must be non-blank and distinct, got " + names);
      }
    }
  }

  /** Weight coordinates per block: N free weights, or N−1 coordinates of the simplex. */
  int weightDimensions() {
    return freeWeights ? models : models - 1;
  }

  boolean searchesLambda() {
    return !lambdaTechniques.isEmpty();
  }

  /** Values per block in the encoding: technique, weight coordinates, density, lambda if searched. */
  public int blockWidth() {
    return 2 + weightDimensions() + (searchesLambda() ? 1 : 0);
  }

  public int dimensions() {
    return blocks.size() * blockWidth();
  }

  int techniqueIndex(int block) {
    return block * blockWidth();
  }

  int densityIndex(int block) {
    return techniqueIndex(block) + 1 + weightDimensions();
  }

  /** Index of a block's lambda; only meaningful when {@link #searchesLambda()}. */
  int lambdaIndex(int block) {
    return densityIndex(block) + 1;
  }

  boolean usesDensity(int technique) {
    return densityTechniques.contains(techniques.get(technique));
  }

  boolean usesLambda(int technique) {
    return lambdaTechniques.contains(techniques.get(technique));
  }

  boolean usesWeights(int technique) {
    return !weightlessTechniques.contains(techniques.get(technique));
  }

  /** The weights a weightless technique's choice carries: equal, as its merge treats the models. */
  private List<Double> equalWeights() {
    return Collections.nCopies(models, freeWeights ? clamp(1.0 / models, weightMin, weightMax) : 1.0 / models);
  }

  private void settleWeights(double[] point, int block, boolean active) {
    for (int d = techniqueIndex(block) + 1; d <= techniqueIndex(block) + weightDimensions(); d++) {
      settle(point, d, active);
    }
  }

  /** Number of categories for a categorical dimension, 0 for a continuous one. */
  int[] categories() {
    int[] categories = new int[dimensions()];
    for (int b = 0; b < blocks.size(); b++) {
      categories[techniqueIndex(b)] = techniques.size();
    }
    return categories;
  }

  /** A uniformly random configuration (uniform technique, uniform unit coordinates). */
  double[] randomPoint(Rng rng) {
    double[] point = new double[dimensions()];
    for (int d = 0; d < point.length; d++) {
      point[d] = rng.nextDouble();
    }
    return fromUnitCube(point);
  }

  /** Maps a point of the unit cube (e.g. a Sobol point) to a configuration, deactivating what the technique lacks. */
  double[] fromUnitCube(double[] unit) {
    double[] point = unit.clone();
    for (int b = 0; b < blocks.size(); b++) {
      int t = techniqueIndex(b);
      point[t] = Math.min(techniques.size() - 1, (int) Math.floor(unit[t] * techniques.size()));
      if (!usesDensity((int) point[t])) {
        point[densityIndex(b)] = INACTIVE;
      }
      if (!usesWeights((int) point[t])) {
        settleWeights(point, b, false);
      }
      if (searchesLambda() && !usesLambda((int) point[t])) {
        point[lambdaIndex(b)] = INACTIVE;
      }
    }
    return point;
  }

  /** After a technique changed: a parameter it lacks is −1, one that just became active starts in the middle. */
  void settleConditionals(double[] point, int block) {
    int technique = (int) point[techniqueIndex(block)];
    settle(point, densityIndex(block), usesDensity(technique));
    settleWeights(point, block, usesWeights(technique));
    if (searchesLambda()) {
      settle(point, lambdaIndex(block), usesLambda(technique));
    }
  }

  private static void settle(double[] point, int index, boolean active) {
    if (!active) {
      point[index] = INACTIVE;
    } else if (point[index] < 0) {
      point[index] = DEFAULT_UNIT_DENSITY;
    }
  }

  /** Density of a uniform plan: the paper's RQ1 setting, moved into the searched range if outside it. */
  public static final double UNIFORM_DENSITY = 0.65;

  /**
   * Every technique once, with the same choice in every block: weight 1/N per model, density
   * {@link #UNIFORM_DENSITY} and lambda 1, each moved into its searched range; the fixed merges
   * a user would try by hand (RQ1's plans, block by block).
   */
  public List<TrialPlan> uniformPlans() {
    double weight = freeWeights ? clamp(1.0 / models, weightMin, weightMax) : 1.0 / models;
    List<TrialPlan> plans = new ArrayList<>();
    for (int t = 0; t < techniques.size(); t++) {
      Double density = usesDensity(t) ? clamp(UNIFORM_DENSITY, densityMin, densityMax) : null;
      Double lambda = searchesLambda() && usesLambda(t) ? clamp(1.0, lambdaMin, lambdaMax) : null;
      BlockChoice choice = new BlockChoice(techniques.get(t), Collections.nCopies(models, weight), density, lambda);
      Map<String, BlockChoice> choices = new LinkedHashMap<>();
      for (String block : blocks) {
        choices.put(block, choice);
      }
      plans.add(new TrialPlan(choices));
    }
    return plans;
  }

  private static double clamp(double v, double min, double max) {
    return Math.min(max, Math.max(min, v));
  }

  public TrialPlan decode(double[] point) {
    if (point.length != dimensions()) {
      throw new IllegalArgumentException("point has " + point.length + " values, space has " + dimensions());
    }
    Map<String, BlockChoice> choices = new LinkedHashMap<>();
    for (int b = 0; b < blocks.size(); b++) {
      int technique = (int) point[techniqueIndex(b)];
      List<Double> weights = !usesWeights(technique) ? equalWeights()
          : freeWeights ? freeWeightsFromUnit(point, techniqueIndex(b) + 1)
          : SimplexWeights.fromUnit(point, techniqueIndex(b) + 1, models - 1);
      Double density = usesDensity(technique)
          ? densityMin + point[densityIndex(b)] * (densityMax - densityMin)
          : null;
      Double lambda = searchesLambda() && usesLambda(technique)
          ? lambdaMin + point[lambdaIndex(b)] * (lambdaMax - lambdaMin)
          : null;
      choices.put(blocks.get(b), new BlockChoice(techniques.get(technique), weights, density, lambda));
    }
    return new TrialPlan(choices);
  }

  private List<Double> freeWeightsFromUnit(double[] point, int offset) {
    List<Double> weights = new ArrayList<>(models);
    for (int i = 0; i < models; i++) {
      weights.add(weightMin + point[offset + i] * (weightMax - weightMin));
    }
    return weights;
  }

  public double[] encode(TrialPlan plan) {
    double[] point = new double[dimensions()];
    for (int b = 0; b < blocks.size(); b++) {
      String name = blocks.get(b);
      BlockChoice choice = plan.block(name);
      int technique = techniques.indexOf(choice.technique());
      if (technique < 0) {
        throw new InvalidInputException("trial plan block '" + name + "': unknown technique '" + choice.technique() + "'");
      }
      if (choice.weights().size() != models) {
        throw new InvalidInputException("trial plan block '" + name + "': expected " + models + " weights, got " + choice.weights().size());
      }
      point[techniqueIndex(b)] = technique;
      if (!usesWeights(technique)) {
        settleWeights(point, b, false);
      } else if (freeWeights) {
        for (int i = 0; i < models; i++) {
          point[techniqueIndex(b) + 1 + i] = clampUnit((choice.weights().get(i) - weightMin) / (weightMax - weightMin));
        }
      } else {
        SimplexWeights.toUnit(choice.weights(), point, techniqueIndex(b) + 1);
      }
      if (usesDensity(technique)) {
        if (choice.density() == null) {
          throw new InvalidInputException("trial plan block '" + name + "': technique '" + choice.technique() + "' needs a density");
        }
        double span = densityMax - densityMin;
        point[densityIndex(b)] = span > 0 ? clampUnit((choice.density() - densityMin) / span) : DEFAULT_UNIT_DENSITY;
      } else {
        point[densityIndex(b)] = INACTIVE;
      }
      if (searchesLambda()) {
        // A plan without lambda (e.g. a fixed RQ1 plan) ran at lambda 1.
        double lambda = choice.lambda() == null ? 1.0 : choice.lambda();
        point[lambdaIndex(b)] = usesLambda(technique) ? clampUnit((lambda - lambdaMin) / (lambdaMax - lambdaMin)) : INACTIVE;
      }
    }
    return point;
  }

  private static double clampUnit(double v) {
    return Math.min(1.0, Math.max(0.0, v));
  }

  /** Builder with the defaults: density in [0.5, 1], density for ties and the DARE techniques. */
  public static final class Builder {
    private List<String> blocks = List.of();
    private int models = 2;
    private List<String> techniques = List.of("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties");
    private Set<String> densityTechniques = Set.of("ties", "dare_linear", "dare_ties");
    private double densityMin = 0.5;
    private double densityMax = 1.0;
    private boolean freeWeights;
    private double weightMin = 0.0;
    private double weightMax = 1.0;
    private Set<String> lambdaTechniques = Set.of();
    private double lambdaMin = 1.0;
    private double lambdaMax = 1.0;
    private Set<String> weightlessTechniques = Set.of();

    public Builder blocks(List<String> blocks) {
      this.blocks = new ArrayList<>(blocks);
      return this;
    }

    public Builder models(int models) {
      this.models = models;
      return this;
    }

    public Builder techniques(List<String> techniques) {
      this.techniques = new ArrayList<>(techniques);
      return this;
    }

    public Builder densityTechniques(Collection<String> densityTechniques) {
      this.densityTechniques = new HashSet<>(densityTechniques);
      return this;
    }

    public Builder density(double min, double max) {
      this.densityMin = min;
      this.densityMax = max;
      return this;
    }

    /** One weight per model in [min, max] instead of the simplex. */
    public Builder freeWeights(double min, double max) {
      this.freeWeights = true;
      this.weightMin = min;
      this.weightMax = max;
      return this;
    }

    /** Search lambda in [min, max] for these techniques. */
    public Builder lambda(Collection<String> techniques, double min, double max) {
      this.lambdaTechniques = new HashSet<>(techniques);
      this.lambdaMin = min;
      this.lambdaMax = max;
      return this;
    }

    /** Techniques that take no weights: their weight coordinates are inactive. */
    public Builder weightlessTechniques(Collection<String> techniques) {
      this.weightlessTechniques = new HashSet<>(techniques);
      return this;
    }

    public SearchSpace build() {
      return new SearchSpace(blocks, models, techniques, densityTechniques, densityMin, densityMax,
          freeWeights, weightMin, weightMax, lambdaTechniques, lambdaMin, lambdaMax, weightlessTechniques);
    }
  }
}
