package io.automerge.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The non-dominated members of a set under minimization of every objective. {@code a} dominates
 * {@code b} when it is no worse in every objective and better in one; members with equal vectors
 * do not dominate each other, so ties stay on the front together.
 */
public final class ParetoFront {
  private ParetoFront() {}

  /** The members no other member dominates, in their input order. */
  public static <T> List<T> of(List<T> members, Function<T, double[]> costs) {
    List<double[]> vectors = members.stream().map(costs).toList();
    List<T> front = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < members.size() && !dominated; j++) {
        dominated = j != i && dominates(vectors.get(j), vectors.get(i));
      }
      if (!dominated) {
        front.add(members.get(i));
      }
    }
    return front;
  }

  /** Whether {@code a} is no worse than {@code b} everywhere and strictly better somewhere. */
  public static boolean dominates(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("objective vectors of length " + a.length + " and " + b.length);
    }
    boolean better = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
      better |= a[i] < b[i];
    }
    return better;
  }
}
