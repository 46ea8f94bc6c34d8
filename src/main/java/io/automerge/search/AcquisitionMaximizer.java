package io.automerge.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Maximizes the acquisition as SMAC's LocalAndSortedRandomSearch: score random configurations,
 * then run a one-exchange local search from the best random ones and from the given start points
 * (the best evaluated configurations). The answer is the highest-scoring configuration that is not
 * already in the history; local-search results win ties against random ones.
 */
final class AcquisitionMaximizer {
  /** ConfigSpace's one-exchange neighbourhood: 4 neighbours per float, N(value, 0.2) in unit scale. */
  private static final int NEIGHBOURS_PER_FLOAT = 4;
  private static final double NEIGHBOUR_STDDEV = 0.2;
  /** SMAC's n_steps_plateau_walk: moves without improvement allowed in a row. */
  private static final int PLATEAU_STEPS = 10;
  private static final int MAX_STEPS = 100;

  private final SearchSpace space;
  private final RandomForest forest;
  private final LogExpectedImprovement acquisition;
  private final Rng rng;

  AcquisitionMaximizer(SearchSpace space, RandomForest forest, LogExpectedImprovement acquisition, Rng rng) {
    this.space = space;
    this.forest = forest;
    this.acquisition = acquisition;
    this.rng = rng;
  }

  record Scored(double[] point, double acquisition) {}

  /**
   * @param randomCandidates how many random configurations to score
   * @param randomStarts local searches from this many best random configurations
   * @param evaluatedStarts further local-search starts (best evaluated configurations)
   * @param excluded model keys of configurations that must not be proposed again
   * @param keys how a configuration's model key is found
   * @return the best configuration, or null if every scored one is excluded
   */
  double[] maximize(int randomCandidates, int randomStarts, List<double[]> evaluatedStarts, Set<List<Double>> excluded,
      ModelKeys keys) {
    double[][] randoms = new double[randomCandidates][];
    for (int i = 0; i < randomCandidates; i++) {
      randoms[i] = space.randomPoint(rng);
    }
    double[] scores = score(randoms);
    List<Scored> random = new ArrayList<>(randomCandidates);
    for (int i = 0; i < randomCandidates; i++) {
      random.add(new Scored(randoms[i], scores[i]));
    }
    random.sort(Comparator.comparingDouble(Scored::acquisition).reversed());

    List<double[]> starts = new ArrayList<>();
    for (int i = 0; i < Math.min(randomStarts, random.size()); i++) {
      starts.add(random.get(i).point());
    }
    starts.addAll(evaluatedStarts);
    List<Scored> all = new ArrayList<>();
    for (double[] start : starts) {
      all.add(localSearch(start));
    }
    all.sort(Comparator.comparingDouble(Scored::acquisition).reversed());
    List<Scored> merged = new ArrayList<>(all.size() + random.size());
    merged.addAll(all);
    merged.addAll(random);
    // Stable sort: among equal scores local-search results stay in front.
    merged.sort(Comparator.comparingDouble(Scored::acquisition).reversed());
    for (Scored s : merged) {
      if (!excluded.contains(keys.of(s.point()))) {
        return s.point();
      }
    }
    return null;
  }

  private double[] score(double[][] points) {
    double[] mean = new double[points.length];
    double[] variance = new double[points.length];
    double[] out = new double[points.length];
    forest.predict(points, mean, variance);
    acquisition.values(mean, variance, out);
    return out;
  }

  /** Steepest ascent over one-exchange neighbourhoods, with SMAC's plateau walk. */
  Scored localSearch(double[] start) {
    double[] current = start.clone();
    double currentScore = score(new double[][] {current})[0];
    int plateau = 0;
    for (int step = 0; step < MAX_STEPS; step++) {
      double[][] neighbours = neighbours(current);
      double[] scores = score(neighbours);
      int best = 0;
      for (int i = 1; i < scores.length; i++) {
        if (scores[i] > scores[best]) {
          best = i;
        }
      }
      if (scores[best] > currentScore) {
        plateau = 0;
      } else if (scores[best] == currentScore && plateau < PLATEAU_STEPS) {
        plateau++;
      } else {
        break;
      }
      current = neighbours[best];
      currentScore = scores[best];
    }
    return new Scored(current, currentScore);
  }

  /** Change one parameter: every other technique, or 4 Gaussian moves of one active float. */
  double[][] neighbours(double[] point) {
    List<double[]> out = new ArrayList<>();
    int techniques = space.techniques().size();
    for (int b = 0; b < space.blocks().size(); b++) {
      int t = space.techniqueIndex(b);
      for (int other = 0; other < techniques; other++) {
        if (other != (int) point[t]) {
          double[] n = point.clone();
          n[t] = other;
          space.settleConditionals(n, b);
          out.add(n);
        }
      }
      for (int d = t + 1; d < t + space.blockWidth(); d++) {
        if (point[d] < 0) {
          continue; // inactive density or lambda
        }
        for (int j = 0; j < NEIGHBOURS_PER_FLOAT; j++) {
          double[] n = point.clone();
          n[d] = gaussianStepWithin(point[d]);
          out.add(n);
        }
      }
    }
    return out.toArray(double[][]::new);
  }

  private double gaussianStepWithin(double value) {
    for (int attempt = 0; attempt < 100; attempt++) {
      double v = value + NEIGHBOUR_STDDEV * rng.nextGaussian();
      if (v >= 0 && v <= 1) {
        return v;
      }
    }
    return Math.min(1, Math.max(0, value));
  }
}
