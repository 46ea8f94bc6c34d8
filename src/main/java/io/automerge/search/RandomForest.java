package io.automerge.search;

import java.util.Arrays;

/**
 * Regression forest as SMAC3's HPO facade configures pyrfr: bootstrap samples, every feature
 * considered at every split, split while a node has ≥ minSamplesSplit points that are not all
 * equal in y (1e-8) and leave ≥ minSamplesLeaf on each side. The split minimizes the summed
 * squared error; a continuous split point is drawn uniformly between the two neighbouring
 * observed values; a categorical split sorts the categories present by mean y and cuts that
 * order (categories not present in the node go to a random side). Leaves hold
 * log(mean(exp(y)) + 1e-10) of their points, as SMAC does for log-scaled costs.
 *
 * <p>All trees live in flat arrays so that prediction over thousands of candidates allocates nothing.
 */
final class RandomForest {
  static final double VARIANCE_FLOOR = 1e-10;
  private static final double PURITY_EPS = 1e-8;

  private final int trees;
  private final int[] roots;
  // Node arrays, shared by all trees; feature −1 marks a leaf.
  private int[] feature;
  private double[] threshold;
  private long[] leftCategories;
  private int[] left;
  private int[] right;
  private double[] value;
  private int nodes;

  private final int[] categories;

  private RandomForest(int trees, int[] categories, int capacity) {
    this.trees = trees;
    this.roots = new int[trees];
    this.categories = categories;
    feature = new int[capacity];
    threshold = new double[capacity];
    leftCategories = new long[capacity];
    left = new int[capacity];
    right = new int[capacity];
    value = new double[capacity];
  }

  /**
   * @param x rows of encoded configurations
   * @param y targets (log-scaled costs)
   * @param categories per feature: number of categories (≤ 64), 0 for continuous
   */
  static RandomForest train(double[][] x, double[] y, int[] categories, int trees, int minSamplesSplit, int minSamplesLeaf, Rng rng) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("need matching, non-empty x and y, got " + x.length + " and " + y.length);
    }
    for (int c : categories) {
      if (c > 64) {
        throw new IllegalArgumentException("at most 64 categories per feature, got " + c);
      }
    }
    RandomForest forest = new RandomForest(trees, categories, Math.max(16, trees * 2 * x.length));
    for (int t = 0; t < trees; t++) {
      int[] sample = new int[x.length];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = rng.nextInt(x.length);
      }
      forest.roots[t] = new TreeGrower(forest, x, y, minSamplesSplit, minSamplesLeaf, rng).grow(sample);
    }
    return forest;
  }

  int trees() {
    return trees;
  }

  /** Mean and variance (across trees, population variance, floored) for each point. */
  void predict(double[][] points, double[] mean, double[] variance) {
    for (int p = 0; p < points.length; p++) {
      double[] point = points[p];
      double sum = 0;
      double sumSq = 0;
      for (int t = 0; t < trees; t++) {
        double v = value[leafOf(roots[t], point)];
        sum += v;
        sumSq += v * v;
      }
      double m = sum / trees;
      mean[p] = m;
      variance[p] = Math.max(VARIANCE_FLOOR, sumSq / trees - m * m);
    }
  }

  private int leafOf(int node, double[] point) {
    while (feature[node] >= 0) {
      int f = feature[node];
      boolean goLeft = categories[f] > 0
          ? ((leftCategories[node] >>> (int) point[f]) & 1L) != 0
          : point[f] <= threshold[node];
      node = goLeft ? left[node] : right[node];
    }
    return node;
  }

  private int newNode() {
    if (nodes == feature.length) {
      int capacity = feature.length * 2;
      feature = Arrays.copyOf(feature, capacity);
      threshold = Arrays.copyOf(threshold, capacity);
      leftCategories = Arrays.copyOf(leftCategories, capacity);
      left = Arrays.copyOf(left, capacity);
      right = Arrays.copyOf(right, capacity);
      value = Arrays.copyOf(value, capacity);
    }
    feature[nodes] = -1;
    return nodes++;
  }

  /** Grows one tree into the forest's arrays. */
  private static final class TreeGrower {
    private final RandomForest forest;
    private final double[][] x;
    private final double[] y;
    private final int minSamplesSplit;
    private final int minSamplesLeaf;
    private final Rng rng;

    TreeGrower(RandomForest forest, double[][] x, double[] y, int minSamplesSplit, int minSamplesLeaf, Rng rng) {
      this.forest = forest;
      this.x = x;
      this.y = y;
      this.minSamplesSplit = minSamplesSplit;
      this.minSamplesLeaf = minSamplesLeaf;
      this.rng = rng;
    }

    int grow(int[] sample) {
      int node = forest.newNode();
      split(node, sample);
      return node;
    }

    private void split(int node, int[] rows) {
      Split best = rows.length >= minSamplesSplit && !pure(rows) ? bestSplit(rows) : null;
      if (best == null) {
        forest.value[node] = leafValue(rows);
        return;
      }
      int f = best.feature;
      forest.feature[node] = f;
      boolean categorical = forest.categories[f] > 0;
      if (categorical) {
        forest.leftCategories[node] = best.leftCategories;
      } else {
        forest.threshold[node] = best.threshold;
      }
      int leftCount = 0;
      for (int r : rows) {
        if (goesLeft(node, f, categorical, x[r][f])) {
          leftCount++;
        }
      }
      int[] leftRows = new int[leftCount];
      int[] rightRows = new int[rows.length - leftCount];
      int li = 0;
      int ri = 0;
      for (int r : rows) {
        if (goesLeft(node, f, categorical, x[r][f])) {
          leftRows[li++] = r;
        } else {
          rightRows[ri++] = r;
        }
      }
      int l = forest.newNode();
      int rNode = forest.newNode();
      forest.left[node] = l;
      forest.right[node] = rNode;
      split(l, leftRows);
      split(rNode, rightRows);
    }

    private boolean goesLeft(int node, int f, boolean categorical, double v) {
      return categorical
          ? ((forest.leftCategories[node] >>> (int) v) & 1L) != 0
          : v <= forest.threshold[node];
    }

    private boolean pure(int[] rows) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int r : rows) {
        lo = Math.min(lo, y[r]);
        hi = Math.max(hi, y[r]);
      }
      return hi - lo <= PURITY_EPS;
    }

    private double leafValue(int[] rows) {
      double sum = 0;
      for (int r : rows) {
        sum += Math.exp(y[r]);
      }
      return Math.log(sum / rows.length + LogScaledCost.VERY_SMALL_NUMBER);
    }

    private record Split(int feature, double score, double threshold, long leftCategories) {}

    private Split bestSplit(int[] rows) {
      Split best = null;
      for (int f = 0; f < x[0].length; f++) {
        Split candidate = forest.categories[f] > 0 ? categoricalSplit(rows, f) : continuousSplit(rows, f);
        if (candidate != null && (best == null || candidate.score < best.score)) {
          best = candidate;
        }
      }
      return best;
    }

    private Split continuousSplit(int[] rows, int f) {
      int n = rows.length;
      double[] xs = new double[n];
      double[] ys = new double[n];
      sortByFeature(rows, f, xs, ys);
      double total = 0;
      double totalSq = 0;
      for (double v : ys) {
        total += v;
        totalSq += v * v;
      }
      double sum = 0;
      double sumSq = 0;
      int bestAt = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      for (int i = 0; i < n - 1; i++) {
        sum += ys[i];
        sumSq += ys[i] * ys[i];
        int nl = i + 1;
        int nr = n - nl;
        if (xs[i] >= xs[i + 1] || nl < minSamplesLeaf || nr < minSamplesLeaf) {
          continue;
        }
        double score = sse(sum, sumSq, nl) + sse(total - sum, totalSq - sumSq, nr);
        if (score < bestScore) {
          bestScore = score;
          bestAt = i;
        }
      }
      if (bestAt < 0) {
        return null;
      }
      double cut = xs[bestAt] + rng.nextDouble() * (xs[bestAt + 1] - xs[bestAt]);
      return new Split(f, bestScore, cut, 0L);
    }

    private Split categoricalSplit(int[] rows, int f) {
      int k = forest.categories[f];
      double[] sum = new double[k];
      double[] sumSq = new double[k];
      int[] count = new int[k];
      for (int r : rows) {
        int c = (int) x[r][f];
        sum[c] += y[r];
        sumSq[c] += y[r] * y[r];
        count[c]++;
      }
      Integer[] present = java.util.stream.IntStream.range(0, k).filter(c -> count[c] > 0).boxed().toArray(Integer[]::new);
      if (present.length < 2) {
        return null;
      }
      Arrays.sort(present, (a, b) -> Double.compare(sum[a] / count[a], sum[b] / count[b]));
      double total = 0;
      double totalSq = 0;
      for (int c : present) {
        total += sum[c];
        totalSq += sumSq[c];
      }
      double s = 0;
      double sq = 0;
      int nl = 0;
      int bestAt = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      for (int i = 0; i < present.length - 1; i++) {
        int c = present[i];
        s += sum[c];
        sq += sumSq[c];
        nl += count[c];
        int nr = rows.length - nl;
        if (nl < minSamplesLeaf || nr < minSamplesLeaf) {
          continue;
        }
        double score = sse(s, sq, nl) + sse(total - s, totalSq - sq, nr);
        if (score < bestScore) {
          bestScore = score;
          bestAt = i;
        }
      }
      if (bestAt < 0) {
        return null;
      }
      long mask = 0;
      for (int i = 0; i <= bestAt; i++) {
        mask |= 1L << present[i];
      }
      for (int c = 0; c < k; c++) {
        if (count[c] == 0 && rng.nextBoolean()) {
          mask |= 1L << c;
        }
      }
      return new Split(f, bestScore, 0.0, mask);
    }

    private void sortByFeature(int[] rows, int f, double[] xs, double[] ys) {
      Integer[] order = new Integer[rows.length];
      for (int i = 0; i < rows.length; i++) {
        order[i] = rows[i];
      }
      Arrays.sort(order, (a, b) -> Double.compare(x[a][f], x[b][f]));
      for (int i = 0; i < order.length; i++) {
        xs[i] = x[order[i]][f];
        ys[i] = y[order[i]];
      }
    }

    private static double sse(double sum, double sumSq, int n) {
      return Math.max(0.0, sumSq - sum * sum / n);
    }
  }
}
