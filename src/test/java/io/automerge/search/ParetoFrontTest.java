package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
  @Test
  void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
    assertThat(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 3})).isTrue();
    assertThat(ParetoFront.dominates(new double[] {1, 3}, new double[] {1, 2})).isFalse();
    assertThat(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 2})).as("equal vectors").isFalse();
    assertThat(ParetoFront.dominates(new double[] {1, 3}, new double[] {2, 1})).isFalse();
    assertThat(ParetoFront.dominates(new double[] {2, 1}, new double[] {1, 3})).isFalse();
    assertThatThrownBy(() -> ParetoFront.dominates(new double[] {1}, new double[] {1, 2})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFrontKeepsTiesAndDropsDominatedMembersInInputOrder() {
    Map<String, double[]> costs = Map.of(
        "a", new double[] {1, 3},
        "b", new double[] {2, 1},
        "c", new double[] {2, 2},   // b is as good on task 1 and better on task 2
        "d", new double[] {1, 3},   // a tie with a: both stay
        "e", new double[] {3, 3},
        "f", new double[] {0.5, 4});
    List<String> front = ParetoFront.of(List.of("a", "b", "c", "d", "e", "f"), costs::get);
    assertThat(front).containsExactly("a", "b", "d", "f");
    assertThat(ParetoFront.of(List.<String>of(), costs::get)).isEmpty();
    assertThat(ParetoFront.of(List.of("e"), costs::get)).containsExactly("e");
  }
}
