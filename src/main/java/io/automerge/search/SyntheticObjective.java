package io.automerge.search;

import java.util.List;

/**
 * A cheap, deterministic stand-in for a merge trial with a known optimum, for benchmarks: per
 * block each technique has an offset (0 for the block's best technique, 0.15–0.6 for the others)
 * plus a bowl 2·(w₁ − w*)² + [density used] 2·(u − u*)², u being the density scaled to [0, 1],
 * with centres that depend on block and technique. cost = 1 + Σ over blocks, so cost ≥ 1 and
 * exactly 1.0 at the best technique and centres of every block.
 */
public final class SyntheticObjective {
  private final SearchSpace space;

  public SyntheticObjective(SearchSpace space) {
    this.space = space;
  }

  /** The space the benchmark uses: 3 blocks, 2 models, the five techniques, density in [0.5, 1]. */
  public static SearchSpace benchmarkSpace() {
    return SearchSpace.builder().blocks(List.of("tokenizer", "encoder", "head")).models(2).build();
  }

  public int bestTechnique(int block) {
    return (2 * block + 2) % space.techniques().size();
  }

  public double weightCentre(int block, int technique) {
    return 0.15 + 0.7 * fraction((block * 7 + technique) * 0.6180339887);
  }

  public double densityCentre(int block, int technique) {
    return 0.1 + 0.8 * fraction((block * 11 + technique) * 0.4142135623 + 0.3);
  }

  public double offset(int block, int technique) {
    if (technique == bestTechnique(block)) {
      return 0.0;
    }
    return 0.3 + 0.6 * fraction((block * 3 + technique) * 0.7548776662);
  }

  public double cost(TrialPlan plan) {
    double[] point = space.encode(plan);
    double cost = 1.0;
    for (int b = 0; b < space.blocks().size(); b++) {
      int t = (int) point[space.techniqueIndex(b)];
      double w = point[space.techniqueIndex(b) + 1];
      double dw = w - weightCentre(b, t);
      cost += offset(b, t) + 2 * dw * dw;
      if (space.uses(t, BlockChoice.DENSITY)) {
        double du = point[space.scalarIndex(b, BlockChoice.DENSITY)] - densityCentre(b, t);
        cost += 2 * du * du;
      }
    }
    return cost;
  }

  /** The plan with cost exactly 1.0. */
  public TrialPlan optimum() {
    double[] point = new double[space.dimensions()];
    for (int b = 0; b < space.blocks().size(); b++) {
      int t = bestTechnique(b);
      point[space.techniqueIndex(b)] = t;
      point[space.techniqueIndex(b) + 1] = weightCentre(b, t);
      point[space.scalarIndex(b, BlockChoice.DENSITY)] = space.uses(t, BlockChoice.DENSITY) ? densityCentre(b, t) : SearchSpace.INACTIVE;
    }
    return space.decode(point);
  }

  private static double fraction(double v) {
    return v - Math.floor(v);
  }
}
