package io.automerge.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a block's weights are encoded: N free weights, each in [min, max] scaled to [0, 1], or the
 * N−1 coordinates of the simplex (the paper's w, 1 − w; {@link SimplexWeights}).
 */
record WeightCoordinates(int models, boolean free, double min, double max) {

  int dimensions() {
    return free ? models : models - 1;
  }

  /** Equal weights (moved into the free range): a weightless technique's, and each fixed choice's. */
  List<Double> equal() {
    return Collections.nCopies(models, free ? SearchSpace.clamp(1.0 / models, min, max) : 1.0 / models);
  }

  /** The weights whose coordinates start at {@code point[offset]}. */
  List<Double> decode(double[] point, int offset) {
    if (!free) {
      return SimplexWeights.fromUnit(point, offset, models - 1);
    }
    List<Double> weights = new ArrayList<>(models);
    for (int i = 0; i < models; i++) {
      weights.add(min + point[offset + i] * (max - min));
    }
    return weights;
  }

  /** Writes the weights' coordinates from {@code point[offset]} on. */
  void encode(List<Double> weights, double[] point, int offset) {
    if (!free) {
      SimplexWeights.toUnit(weights, point, offset);
      return;
    }
    for (int i = 0; i < models; i++) {
      point[offset + i] = SearchSpace.clamp((weights.get(i) - min) / (max - min), 0, 1);
    }
  }
}
