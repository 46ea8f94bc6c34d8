package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hyperband's tie-break, computed from an evaluation's task losses. */
class HyperbandTieBreakTest {
  @Test
  void isTheGeometricMeanOfTheTaskLosses() {
    assertThat(HyperbandSchedule.tieBreak(Map.of("a", 0.25, "b", 4.0))).isCloseTo(1.0, within(1e-12));
    assertThat(HyperbandSchedule.tieBreak(Map.of("a", 0.5, "b", 0.5, "c", 4.0))).isCloseTo(1.0, within(1e-12));
    // scale-free: multiplying one task's losses by a constant keeps the order of two trials
    double x = HyperbandSchedule.tieBreak(Map.of("a", 0.3, "b", 0.9));
    double y = HyperbandSchedule.tieBreak(Map.of("a", 0.4, "b", 0.6));
    double xScaled = HyperbandSchedule.tieBreak(Map.of("a", 30.0, "b", 0.9));
    double yScaled = HyperbandSchedule.tieBreak(Map.of("a", 40.0, "b", 0.6));
    assertThat(x < y).isEqualTo(xScaled < yScaled);
  }

  @Test
  void isNullWithoutUsableLosses() {
    assertThat(HyperbandSchedule.tieBreak(null)).isNull();
    assertThat(HyperbandSchedule.tieBreak(Map.of())).isNull();
    assertThat(HyperbandSchedule.tieBreak(Map.of("a", 0.0, "b", 1.0))).isNull();
    assertThat(HyperbandSchedule.tieBreak(Map.of("a", Double.NaN))).isNull();
    assertThat(HyperbandSchedule.tieBreak(Map.of("a", Double.POSITIVE_INFINITY))).isNull();
  }
}
