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
 * The per-block conditional space: for each block a technique (categorical), N−1 free weights
 * in [0, 1] (see {@link SimplexWeights}) and a density in [densityMin, densityMax] that is active
 * only for the techniques in {@code densityTechniques}.
 *
 * <p>Encoding (what the surrogate sees), block after block, {@link #blockWidth()} values each:
 * technique as its index in {@code techniques}, the weight coordinates as they are (already in
 * [0, 1]), the density scaled to [0, 1], or −1 when inactive.
 */
public record SearchSpace(
    List<String> blocks,
    int models,
    List<String> techniques,
    Set<String> densityTechniques,
    double densityMin,
    double densityMax) {

  /** Encoded value of an inactive parameter, below every active one so one split separates them. */
  public static final double INACTIVE = -1.0;

  /** Unit-scaled density a technique switched on by local search starts from (ConfigSpace's default: the middle). */
  static final double DEFAULT_UNIT_DENSITY = 0.5;

  public SearchSpace {
    blocks = List.copyOf(blocks);
    techniques = List.copyOf(techniques);
    densityTechniques = Collections.unmodifiableSet(new TreeSet<>(densityTechniques));
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

  /** Values per block in the encoding: technique, N−1 weight coordinates, density. */
  public int blockWidth() {
    return models + 1;
  }

  public int dimensions() {
    return blocks.size() * blockWidth();
  }

  int techniqueIndex(int block) {
    return block * blockWidth();
  }

  int densityIndex(int block) {
    return block * blockWidth() + models;
  }

  boolean usesDensity(int technique) {
    return densityTechniques.contains(techniques.get(technique));
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

  /** Maps a point of the unit cube (e.g. a Sobol point) to a configuration, deactivating density where needed. */
  double[] fromUnitCube(double[] unit) {
    double[] point = unit.clone();
    for (int b = 0; b < blocks.size(); b++) {
      int t = techniqueIndex(b);
      point[t] = Math.min(techniques.size() - 1, (int) Math.floor(unit[t] * techniques.size()));
      if (!usesDensity((int) point[t])) {
        point[densityIndex(b)] = INACTIVE;
      }
    }
    return point;
  }

  /** After a technique changed: density is −1 if the technique has none, and gets a value if it just became active. */
  void settleDensity(double[] point, int block) {
    int d = densityIndex(block);
    if (!usesDensity((int) point[techniqueIndex(block)])) {
      point[d] = INACTIVE;
    } else if (point[d] < 0) {
      point[d] = DEFAULT_UNIT_DENSITY;
    }
  }

  public TrialPlan decode(double[] point) {
    if (point.length != dimensions()) {
      throw new IllegalArgumentException("point has " + point.length + " values, space has " + dimensions());
    }
    Map<String, BlockChoice> choices = new LinkedHashMap<>();
    for (int b = 0; b < blocks.size(); b++) {
      int technique = (int) point[techniqueIndex(b)];
      List<Double> weights = SimplexWeights.fromUnit(point, techniqueIndex(b) + 1, models - 1);
      Double density = usesDensity(technique)
          ? densityMin + point[densityIndex(b)] * (densityMax - densityMin)
          : null;
      choices.put(blocks.get(b), new BlockChoice(techniques.get(technique), weights, density));
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
      SimplexWeights.toUnit(choice.weights(), point, techniqueIndex(b) + 1);
      if (usesDensity(technique)) {
        if (choice.density() == null) {
          throw new InvalidInputException("trial plan block '" + name + "': technique '" + choice.technique() + "' needs a density");
        }
        double span = densityMax - densityMin;
        point[densityIndex(b)] = span > 0 ? clampUnit((choice.density() - densityMin) / span) : DEFAULT_UNIT_DENSITY;
      } else {
        point[densityIndex(b)] = INACTIVE;
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

    public SearchSpace build() {
      return new SearchSpace(blocks, models, techniques, densityTechniques, densityMin, densityMax);
    }
  }
}
