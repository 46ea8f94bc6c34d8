package io.automerge.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.export.SearchOutcome.FrontMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoMembersTest {
  private static final List<String> TASKS = List.of("a", "b");

  /** Trial k has cost k / 100 on task a and 1 − k / 100 on task b: every member is on the front. */
  private static List<FrontMember> front(int size) {
    List<FrontMember> out = new ArrayList<>();
    for (int k = size; k >= 1; k--) {
      out.add(new FrontMember(k, null, 0.5, Map.of("a", k / 100.0, "b", 1 - k / 100.0)));
    }
    return out;
  }

  @Test
  void aSmallFrontIsScoredWholeInTheOrderOfTheFirstTasksCost() {
    assertThat(ParetoMembers.toScore(front(4), 2, TASKS, 10)).extracting(FrontMember::trial).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aLargeFrontIsSampledFromEndToEndWithTheExportedMemberAlwaysIn() {
    // 25 members, 10 scored: trial 13 (exported), then 9 evenly spaced over the other 24 (both ends included).
    List<Integer> trials = ParetoMembers.toScore(front(25), 13, TASKS, 10).stream().map(FrontMember::trial).toList();
    assertThat(trials).hasSize(10).contains(13, 1, 25).isSorted();
    assertThat(ParetoMembers.toScore(front(25), 99, TASKS, 10)).as("an exported trial off the front").hasSize(10);
  }
}
