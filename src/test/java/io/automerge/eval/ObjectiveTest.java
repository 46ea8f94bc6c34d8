package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectiveTest {
  @Test
  void costIsTheMeanLossRatioAndTheReciprocalOfTheHarmonicMeanOfPreservation() {
    Map<String, Double> sources = Map.of("a", 0.5, "b", 2.0);
    Objective.Score score = Objective.score(Map.of("a", 1.0, "b", 2.0), sources);
    assertThat(score.failed()).isFalse();
    assertThat(score.cost()).isCloseTo((1.0 / 0.5 + 2.0 / 2.0) / 2, within(1e-12));
    double apA = Objective.preservation(1.0, 0.5);
    double apB = Objective.preservation(2.0, 2.0);
    double harmonic = 2 / (1 / apA + 1 / apB);
    assertThat(score.cost()).isCloseTo(1 / harmonic, within(1e-12));
  }

  @Test
  void matchingEverySourceCostsOneAndBetterCostsLess() {
    Map<String, Double> sources = Map.of("a", 0.3, "b", 0.7);
    assertThat(Objective.score(sources, sources).cost()).isCloseTo(1.0, within(1e-12));
    assertThat(Objective.score(Map.of("a", 0.2, "b", 0.7), sources).cost()).isLessThan(1.0);
  }

  @Test
  void nonFiniteOrMissingLossesFailTheTrial() {
    Map<String, Double> sources = Map.of("a", 0.3, "b", 0.7);
    Objective.Score nan = Objective.score(Map.of("a", Double.NaN, "b", 0.7), sources);
    assertThat(nan.failed()).isTrue();
    assertThat(nan.reason()).contains("a").contains("NaN");
    assertThat(Objective.score(Map.of("a", 0.3, "b", Double.POSITIVE_INFINITY), sources).failed()).isTrue();
    assertThat(Objective.score(Map.of("a", 0.3), sources).reason()).contains("no loss for task b");
  }

  @Test
  void theWorstObjectiveScoresAMergeByItsWorstTask() {
    Map<String, Double> sources = Map.of("a", 1.0, "b", 1.0);
    Map<String, Double> lopsided = Map.of("a", 1.0, "b", 1.6); // mean ratio 1.3, worst 1.6
    Map<String, Double> balanced = Map.of("a", 1.35, "b", 1.35); // mean ratio 1.35, worst 1.35
    assertThat(Objective.score(lopsided, sources, "harmonic").cost()).isLessThan(Objective.score(balanced, sources, "harmonic").cost());
    assertThat(Objective.score(lopsided, sources, "worst").cost()).isCloseTo(1.6, within(1e-12));
    assertThat(Objective.score(balanced, sources, "worst").cost()).isLessThan(Objective.score(lopsided, sources, "worst").cost());
    assertThat(Objective.score(Map.of("a", Double.NaN, "b", 1.0), sources, "worst").failed()).isTrue();
  }
}
