package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hyperband's tie-break as the state computes it from a trial's losses. */
class FidelityTieBreakTest {
  @Test
  void isTheGeometricMeanOfTheTaskLosses() {
    assertThat(SearchState.geometricMean(Map.of("a", 0.25, "b", 4.0))).isCloseTo(1.0, within(1e-12));
    assertThat(SearchState.geometricMean(Map.of("a", 0.5, "b", 0.5, "c", 4.0))).isCloseTo(1.0, within(1e-12));
    // scale-free: multiplying one task's losses by a constant keeps the order of two trials
    double x = SearchState.geometricMean(Map.of("a", 0.3, "b", 0.9));
    double y = SearchState.geometricMean(Map.of("a", 0.4, "b", 0.6));
    double xScaled = SearchState.geometricMean(Map.of("a", 30.0, "b", 0.9));
    double yScaled = SearchState.geometricMean(Map.of("a", 40.0, "b", 0.6));
    assertThat(x < y).isEqualTo(xScaled < yScaled);
  }

  @Test
  void isNullWithoutUsableLosses() {
    assertThat(SearchState.geometricMean(null)).isNull();
    assertThat(SearchState.geometricMean(Map.of())).isNull();
    assertThat(SearchState.geometricMean(Map.of("a", 0.0, "b", 1.0))).isNull();
    assertThat(SearchState.geometricMean(Map.of("a", Double.NaN))).isNull();
    assertThat(SearchState.geometricMean(Map.of("a", Double.POSITIVE_INFINITY))).isNull();
  }
}
