package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The consensus half of {@link GeneralizedTaskArithmetic} on the PyTorch path: how weighted,
 * sparsified task vectors are summed, with no consensus ({@link Plain}) or TIES' sign election
 * ({@link SignSplit}).
 */
final class TaskVectorSums {
  private TaskVectorSums() {}

  /** Sums weighted sparsified task vectors, consuming each (it may be modified in place). */
  interface Accumulator {
    void add(NDManager step, NDArray tau, float weight);

    /** The (normalized) merged task vector, owned by {@code scope}. */
    NDArray finish(NDManager scope, double[] weights, boolean normalize);
  }

  /** No consensus: sum(w_i tau_i), over sum(w_i) when normalizing. */
  static final class Plain implements Accumulator {
    private NDArray sum;

    @Override
    public void add(NDManager step, NDArray tau, float weight) {
      // the first weighted task vector becomes the sum (0 + x = x exactly: no zero-filled start)
      if (sum == null) {
        sum = tau.muli(weight);
      } else {
        sum.addi(tau.muli(weight));
      }
    }

    @Override
    public NDArray finish(NDManager scope, double[] weights, boolean normalize) {
      if (!normalize) {
        return sum;
      }
      double divisor = 0;
      for (double w : weights) {
        divisor += w;
      }
      return sum.divi(divisor == 0 ? 1f : (float) divisor);
    }
  }

  /**
   * Sign consensus in one pass over the sources: the positive and the negative parts of the
   * weighted task vectors are summed apart (and their weights, for normalizing). The elected
   * sign is that of their total, +1 where it is 0, and the agreeing entries are exactly the
   * part of that sign -- a zero belongs to neither part, so it never agrees. No source is
   * loaded twice and no mask is kept.
   */
  static final class SignSplit implements Accumulator {
    private final NDArray positive;
    private final NDArray negative;
    private final NDArray positiveWeight;
    private final NDArray negativeWeight;

    SignSplit(NDManager scope, NDArray base, boolean normalize) {
      positive = Scopes.own(scope, base.zerosLike());
      negative = Scopes.own(scope, base.zerosLike());
      positiveWeight = normalize ? Scopes.own(scope, base.zerosLike()) : null;
      negativeWeight = normalize ? Scopes.own(scope, base.zerosLike()) : null;
    }

    @Override
    public void add(NDManager step, NDArray tau, float weight) {
      NDArray up = Scopes.own(step, tau.clip(0f, Float.POSITIVE_INFINITY));
      NDArray down = tau.subi(up); // tau's negative part, in place
      if (positiveWeight != null) {
        positiveWeight.addi(Scopes.own(step, Scopes.own(step, up.gt(0f)).toType(DataType.FLOAT32, false)).muli(weight));
        negativeWeight.addi(Scopes.own(step, Scopes.own(step, down.lt(0f)).toType(DataType.FLOAT32, false)).muli(weight));
      }
      positive.addi(up.muli(weight));
      negative.addi(down.muli(weight));
    }

    @Override
    public NDArray finish(NDManager scope, double[] weights, boolean normalize) {
      NDArray elected = Scopes.own(scope, Scopes.own(scope, positive.add(negative)).gte(0f));
      NDArray numerator = Scopes.own(scope, NDArrays.where(elected, positive, negative));
      positive.close();
      negative.close();
      if (positiveWeight == null) {
        return numerator;
      }
      NDArray divisor = Scopes.own(scope, NDArrays.where(elected, positiveWeight, negativeWeight));
      positiveWeight.close();
      negativeWeight.close();
      // a zero divisor (no model agrees) counts as 1; the numerator is 0 there anyway
      NDArray safe = Scopes.own(scope, divisor.eq(0f));
      divisor.addi(safe);
      return numerator.divi(divisor);
    }
  }
}
