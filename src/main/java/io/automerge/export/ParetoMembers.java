package io.automerge.export;

import io.automerge.export.SearchOutcome.FrontMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which members of a Pareto front the export scores on the test split: each costs a merge and a
 * test pass, so at most {@link #LIMIT}, spread evenly along the front (ordered by the first task's
 * cost), the exported member always among them.
 */
public final class ParetoMembers {
  public static final int LIMIT = 10;

  private ParetoMembers() {}

  /** The members to score, ordered by the first task's validation cost (ties: trial id). */
  public static List<FrontMember> toScore(List<FrontMember> front, int exported, List<String> tasks, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    String first = tasks.get(0);
    List<FrontMember> sorted = front.stream()
        .sorted(Comparator.comparingDouble((FrontMember m) -> m.taskCosts().get(first)).thenComparingInt(FrontMember::trial))
        .toList();
    if (sorted.size() <= limit) {
      return sorted;
    }
    Set<Integer> chosen = new LinkedHashSet<>();
    sorted.stream().filter(m -> m.trial() == exported).findFirst().ifPresent(m -> chosen.add(m.trial()));
    List<FrontMember> others = new ArrayList<>(sorted.stream().filter(m -> m.trial() != exported).toList());
    int wanted = limit - chosen.size();
    for (int i = 0; i < wanted; i++) {
      // evenly spaced positions from one end of the front to the other
      int at = wanted == 1 ? 0 : (int) Math.round(i * (others.size() - 1) / (double) (wanted - 1));
      chosen.add(others.get(at).trial());
    }
    return sorted.stream().filter(m -> chosen.contains(m.trial())).toList();
  }
}
