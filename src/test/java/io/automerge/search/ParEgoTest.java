package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParEgoTest {
  @Test
  void augmentedChebyshevOverCostsNormalizedByTheirRange() {
    // min (0.1, 0.2), max (0.3, 0.4): a → (0, 1), b → (1, 0), c → (0.5, 0.5)
    List<double[]> costs = List.of(new double[] {0.1, 0.4}, new double[] {0.3, 0.2}, new double[] {0.2, 0.3});
    List<Double> values = ParEgo.scalarize(costs, new double[] {0.25, 0.75});
    assertThat(values.get(0)).isCloseTo(0.75 + 0.05 * 0.75, within(1e-12));           // max(0, 0.75) + ρ·0.75
    assertThat(values.get(1)).isCloseTo(0.25 + 0.05 * 0.25, within(1e-12));           // max(0.25, 0) + ρ·0.25
    assertThat(values.get(2)).isCloseTo(0.375 + 0.05 * (0.125 + 0.375), within(1e-12)); // max(0.125, 0.375) + ρ·0.5
    // The other weights prefer the other end of the front.
    List<Double> flipped = ParEgo.scalarize(costs, new double[] {0.75, 0.25});
    assertThat(flipped.get(0)).isLessThan(flipped.get(1));
  }

  @Test
  void anObjectiveWithOneValueNormalizesToZeroAndWeaklyDominatedPointsLoseByTheAugmentation() {
    List<Double> values = ParEgo.scalarize(List.of(new double[] {0.5, 0.1}, new double[] {0.5, 0.1}), new double[] {0.5, 0.5});
    assertThat(values).containsExactly(0.0, 0.0);
    // (0, 1) and (0.4, 1) tie on the max term with weights (0.5, 0.5); the sum term breaks the tie.
    List<Double> tie = ParEgo.scalarize(List.of(new double[] {0, 1}, new double[] {0.4, 1}, new double[] {1, 0}), new double[] {0.5, 0.5});
    assertThat(tie.get(0)).isCloseTo(0.5 + 0.05 * 0.5, within(1e-12));
    assertThat(tie.get(1)).isCloseTo(0.5 + 0.05 * 0.7, within(1e-12));
  }

  @Test
  void weightsAreUniformOnTheSimplexAndTheSameForTheSameSeedAndProposal() {
    double[] w = ParEgo.weights(7, 12, 3);
    assertThat(w).hasSize(3);
    assertThat(w[0] + w[1] + w[2]).isCloseTo(1.0, within(1e-12));
    assertThat(ParEgo.weights(7, 12, 3)).containsExactly(w);
    assertThat(ParEgo.weights(7, 13, 3)).isNotEqualTo(w);
    assertThat(ParEgo.weights(8, 12, 3)).isNotEqualTo(w);
    // Two objectives: the first weight is uniform on [0, 1].
    int below = 0;
    int n = 4000;
    for (int k = 0; k < n; k++) {
      double[] pair = ParEgo.weights(1, k, 2);
      assertThat(pair[0]).isBetween(0.0, 1.0);
      below += pair[0] < 0.25 ? 1 : 0;
    }
    assertThat(below / (double) n).isCloseTo(0.25, within(0.03));
  }

  @Test
  void vectorsOfAnotherLengthAreRefused() {
    assertThatThrownBy(() -> ParEgo.scalarize(List.of(new double[] {1, 2, 3}), new double[] {0.5, 0.5}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 objectives");
  }
}
