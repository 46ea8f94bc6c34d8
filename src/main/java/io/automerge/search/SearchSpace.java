package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.automerge.InvalidInputException;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.ParameterSpec;
import io.automerge.merge.ParameterSpec.Range;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-block conditional space, read from the techniques' declarations
 * ({@link MergeMethod#searchedParameters()}): for each block a technique (categorical), the weights
 * and one value per searched scalar parameter ({@code density}, {@code lambda}, {@code gamma},
 * {@code epsilon}, {@code t}, whatever a registered technique declares). A scalar is active only
 * for the techniques that search it, over the technique's declared range unless {@code ranges}
 * gives one for that name (a spec's {@code density: [lo, hi]}); a parameter declared
 * {@linkplain ParameterSpec.Search#onRequest() on request} ({@code lambda}) is searched only when
 * {@code ranges} names it.
 *
 * <p>Weights are either N−1 stick-breaking coordinates of the simplex ({@link SimplexWeights}: the
 * paper's w, 1 − w) or, with {@code freeWeights}, one weight per model in [weightMin, weightMax],
 * mergekit-style. A technique without a searched {@code weight} (model_stock, slerp) has inactive
 * weight coordinates: plans that differ only there are one configuration, which the optimizer
 * neither proposes twice nor learns from as if they differed.
 *
 * <p>Encoding (what the surrogate sees), block after block, {@link #blockWidth()} values each:
 * technique as its index in {@code techniques}, the weight coordinates in [0, 1], then the
 * scalars scaled to [0, 1], or −1 when inactive ({@link ScalarTable}). Scalars come per-model ones first, then global
 * ones, each in order of first declaration over the techniques; the weights and {@code density} are
 * always encoded, as in every space before the declarations drove it, so an existing spec keeps its
 * layout and, seed for seed, its proposals.
 */
public final class SearchSpace {

  /** Encoded value of an inactive parameter, below every active one so one split separates them. */
  public static final double INACTIVE = -1.0;

  /** Unit-scaled value a parameter switched on by local search starts from (ConfigSpace's default: the middle). */
  static final double DEFAULT_UNIT_DENSITY = 0.5;

  private final List<String> blocks;
  private final int models;
  private final List<String> techniques;
  private final WeightCoordinates weights;
  private final Map<String, Range> ranges;

  private final List<MergeMethod> methods;
  private final ScalarTable table;
  private final List<String> scalars; // table.names()

  @JsonCreator
  public SearchSpace(
      @JsonProperty("blocks") List<String> blocks,
      @JsonProperty("models") int models,
      @JsonProperty("techniques") List<String> techniques,
      @JsonProperty("freeWeights") boolean freeWeights,
      @JsonProperty("weightMin") double weightMin,
      @JsonProperty("weightMax") double weightMax,
      @JsonProperty("ranges") Map<String, Range> ranges) {
    this.blocks = List.copyOf(blocks);
    this.models = models;
    this.techniques = List.copyOf(techniques);
    this.weights = new WeightCoordinates(models, freeWeights, weightMin, weightMax);
    this.ranges = Collections.unmodifiableMap(new TreeMap<>(ranges == null ? Map.of() : ranges));
    requireDistinct("block", this.blocks);
    requireDistinct("technique", this.techniques);
    if (this.blocks.isEmpty()) {
      throw new InvalidInputException("search space: at least one block is required");
    }
    if (this.techniques.isEmpty()) {
      throw new InvalidInputException("search space: at least one technique is required");
    }
    if (models < 2) {
      throw new InvalidInputException("search space: models must be at least 2, got " + models);
    }
    if (freeWeights && !(weightMin >= 0 && weightMin < weightMax)) {
      throw new InvalidInputException("search space: weight range must satisfy 0 <= min < max, got [" + weightMin + ", " + weightMax + "]");
    }
    this.methods = this.techniques.stream().map(t -> MergeMethods.find(t).orElseThrow(() -> new InvalidInputException(
        "search space: unknown technique '" + t + "' (known: " + MergeMethods.names() + ")"))).toList();
    this.table = new ScalarTable(methods, this.ranges);
    this.scalars = table.names();
  }

  public static SearchSpaceBuilder builder() {
    return new SearchSpaceBuilder();
  }

  private static void requireDistinct(String what, Collection<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank() || !seen.add(name)) {
        throw new InvalidInputException("search space: " + what + " names must be non-blank and distinct, got " + names);
      }
    }
  }

  @JsonProperty
  public List<String> blocks() {
    return blocks;
  }

  @JsonProperty
  public int models() {
    return models;
  }

  @JsonProperty
  public List<String> techniques() {
    return techniques;
  }

  @JsonProperty
  public boolean freeWeights() {
    return weights.free();
  }

  @JsonProperty
  public double weightMin() {
    return weights.min();
  }

  @JsonProperty
  public double weightMax() {
    return weights.max();
  }

  /** The ranges that replace the declared ones, by parameter name (and switch on-request parameters on). */
  @JsonProperty
  public Map<String, Range> ranges() {
    return ranges;
  }

  /** The searched scalars' names, in encoding order. */
  public List<String> scalars() {
    return scalars;
  }

  /** The techniques that search {@code parameter} in this space, in technique order. */
  public List<String> techniquesSearching(String parameter) {
    int s = scalars.indexOf(parameter);
    List<String> out = new ArrayList<>();
    for (int t = 0; t < techniques.size(); t++) {
      if (s >= 0 && table.range(t, s) != null) {
        out.add(techniques.get(t));
      }
    }
    return out;
  }

  /** The range technique {@code technique} searches {@code parameter} over here, or null. */
  public Range range(String technique, String parameter) {
    int t = techniques.indexOf(technique);
    int s = scalars.indexOf(parameter);
    return t < 0 || s < 0 ? null : table.range(t, s);
  }

  /** Weight coordinates per block: N free weights, or N−1 coordinates of the simplex. */
  int weightDimensions() {
    return weights.dimensions();
  }

  /** Values per block in the encoding: technique, weight coordinates, the scalars. */
  public int blockWidth() {
    return 1 + weightDimensions() + scalars.size();
  }

  public int dimensions() {
    return blocks.size() * blockWidth();
  }

  int techniqueIndex(int block) {
    return block * blockWidth();
  }

  /** Index of a block's scalar {@code s} (its position in {@link #scalars()}). */
  int scalarIndex(int block, int s) {
    return techniqueIndex(block) + 1 + weightDimensions() + s;
  }

  /** Index of a block's scalar named {@code parameter}, or −1 if the space has none. */
  int scalarIndex(int block, String parameter) {
    int s = scalars.indexOf(parameter);
    return s < 0 ? -1 : scalarIndex(block, s);
  }

  /** Whether technique {@code technique} (an index) searches scalar {@code parameter}. */
  boolean uses(int technique, String parameter) {
    return table.searches(technique, parameter);
  }

  boolean usesWeights(int technique) {
    return table.weighted(technique);
  }

  /** Equal weights (moved into the free range): a weightless technique's, and each fixed choice's. */
  List<Double> equalWeights() {
    return weights.equal();
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
      int technique = (int) point[t];
      if (!usesWeights(technique)) {
        settleWeights(point, b, false);
      }
      for (int s = 0; s < scalars.size(); s++) {
        if (table.range(technique, s) == null) {
          point[scalarIndex(b, s)] = INACTIVE;
        }
      }
    }
    return point;
  }

  /** After a technique changed: a parameter it lacks is −1, one that just became active starts in the middle. */
  void settleConditionals(double[] point, int block) {
    int technique = (int) point[techniqueIndex(block)];
    for (int s = 0; s < scalars.size(); s++) {
      settle(point, scalarIndex(block, s), table.range(technique, s) != null);
    }
    settleWeights(point, block, usesWeights(technique));
  }

  private static void settle(double[] point, int index, boolean active) {
    if (!active) {
      point[index] = INACTIVE;
    } else if (point[index] < 0) {
      point[index] = DEFAULT_UNIT_DENSITY;
    }
  }

  /**
   * Every technique once, with the same choice in every block: its fixed choice moved into this
   * space ({@link FixedChoices#inSpace}); a warm start's first proposals.
   */
  public List<TrialPlan> uniformPlans() {
    return FixedChoices.inSpace(this, methods);
  }

  /**
   * The base model itself, unmerged, where this space can express it (free weights from 0 and a
   * technique that keeps the base at zero weights): every block that technique at weight 0 per
   * model. A warm start's last proposal: a merge should at least beat doing nothing.
   */
  public Optional<TrialPlan> basePlan() {
    return FixedChoices.baseInSpace(this, methods);
  }

  static double clamp(double v, double min, double max) {
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
          : methods.get(technique).settleWeights(this.weights.decode(point, techniqueIndex(b) + 1));
      Map<String, Double> chosen = new LinkedHashMap<>();
      for (int s = 0; s < scalars.size(); s++) {
        Range range = table.range(technique, s);
        if (range != null) {
          chosen.put(scalars.get(s), range.min() + point[scalarIndex(b, s)] * (range.max() - range.min()));
        }
      }
      chosen = methods.get(technique).settle(weights, chosen);
      choices.put(blocks.get(b), new BlockChoice(techniques.get(technique), chosen, weights));
    }
    return new TrialPlan(choices);
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
      } else {
        weights.encode(choice.weights(), point, techniqueIndex(b) + 1);
      }
      MergeMethod method = methods.get(technique);
      Map<String, Double> chosen = method.settle(choice.weights(), new LinkedHashMap<>(choice.parameters()));
      for (int s = 0; s < scalars.size(); s++) {
        Range range = table.range(technique, s);
        if (range == null) {
          point[scalarIndex(b, s)] = INACTIVE;
          continue;
        }
        double value = valueOrDefault(chosen, method, scalars.get(s), name);
        double span = range.max() - range.min();
        point[scalarIndex(b, s)] = span > 0 ? clamp((value - range.min()) / span, 0, 1) : DEFAULT_UNIT_DENSITY;
      }
    }
    return point;
  }

  /** A value the plan left out is what its merge ran with: the declared default (e.g. a fixed plan's lambda, 1). */
  private static double valueOrDefault(Map<String, Double> chosen, MergeMethod method, String parameter, String block) {
    Double value = chosen.get(parameter);
    if (value != null) {
      return value;
    }
    Object declared = method.parameter(parameter).defaultValue();
    if (declared instanceof Double d && Double.isFinite(d)) {
      return d;
    }
    throw new InvalidInputException("trial plan block '" + block + "': technique '" + method.name() + "' needs a " + parameter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchSpace s && blocks.equals(s.blocks) && techniques.equals(s.techniques)
        && weights.equals(s.weights) && ranges.equals(s.ranges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blocks, techniques, weights, ranges);
  }

  @Override
  public String toString() {
    return "SearchSpace[blocks=" + blocks + ", models=" + models + ", techniques=" + techniques + ", scalars=" + scalars
        + ", freeWeights=" + weights.free() + ", weights=[" + weights.min() + ", " + weights.max() + "], ranges=" + ranges + "]";
  }
}
