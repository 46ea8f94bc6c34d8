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

  // Two tasks; "tiny" has a near-zero source loss, the case where the paper's ratio explodes.
  private static final Map<String, TaskScore> SOURCES = Map.of(
      "tiny", new TaskScore(0.01, Map.of("top1", 0.99, "top5", 1.0), Math.log(10)),
      "big", new TaskScore(0.5, Map.of("top1", 0.80, "top5", 0.98), Math.log(10)));

  private static Map<String, TaskScore> merged(double tinyLoss, double tinyTop1, double bigLoss, double bigTop1) {
    return Map.of(
        "tiny", new TaskScore(tinyLoss, Map.of("top1", tinyTop1, "top5", 1.0), Math.log(10)),
        "big", new TaskScore(bigLoss, Map.of("top1", bigTop1, "top5", 0.98), Math.log(10)));
  }

  @Test
  void everyObjectiveOnHandComputedScores() {
    Map<String, TaskScore> m = merged(0.05, 0.97, 0.8, 0.60);
    // harmonic: (0.05/0.01 + 0.8/0.5) / 2 = (5 + 1.6) / 2
    assertThat(Objective.score("harmonic", m, SOURCES, 0).cost()).isCloseTo(3.3, within(1e-12));
    assertThat(Objective.score("worst", m, SOURCES, 0).cost()).isCloseTo(5.0, within(1e-12));
    // loss_gap: ((0.05 - 0.01) / (ln 10 - 0.01) + (0.8 - 0.5) / (ln 10 - 0.5)) / 2
    double gap = ((0.04 / (Math.log(10) - 0.01)) + (0.3 / (Math.log(10) - 0.5))) / 2;
    assertThat(Objective.score("loss_gap", m, SOURCES, 0).cost()).isCloseTo(gap, within(1e-12));
    // metrics: PR_tiny = (0.97/0.99 + 1) / 2, PR_big = (0.60/0.80 + 1) / 2, in percent
    double prTiny = 100 * (0.97 / 0.99 + 1) / 2;
    double prBig = 100 * (0.60 / 0.80 + 1) / 2;
    assertThat(Objective.score("metrics", m, SOURCES, 0).cost()).isCloseTo(1 - (prTiny + prBig) / 2 / 100, within(1e-12));
    assertThat(Objective.score("metrics", m, SOURCES, 0.5).cost())
        .isCloseTo(1 - (prTiny + prBig) / 2 / 100 + 0.5 * (prTiny - prBig) / 100, within(1e-12));
    // Each task's term, the objectives of objective: pareto.
    assertThat(Objective.score("harmonic", m, SOURCES, 0).taskCosts())
        .containsOnlyKeys("tiny", "big").containsEntry("big", 0.8 / 0.5).containsEntry("tiny", 0.05 / 0.01);
    assertThat(Objective.score("metrics", m, SOURCES, 0.5).taskCosts().get("tiny")).isCloseTo(1 - prTiny / 100, within(1e-12));
    assertThat(Objective.score("metrics", m, SOURCES, 0.5).taskCosts().get("big")).isCloseTo(1 - prBig / 100, within(1e-12));
    assertThat(Objective.score("loss_gap", m, SOURCES, 0).taskCosts().get("big")).isCloseTo(0.3 / (Math.log(10) - 0.5), within(1e-12));
    // A merge equal to every source: PR 100 %, no gap.
    assertThat(Objective.score("metrics", SOURCES, SOURCES, 1).cost()).isCloseTo(0.0, within(1e-12));
    assertThat(Objective.score("loss_gap", SOURCES, SOURCES, 0).cost()).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void aNearZeroSourceLossDominatesTheRatioButNotTheGapOrTheMetrics() {
    // A: gives up a little loss on "tiny" (0.01 -> 0.06) and keeps "big"; B: keeps "tiny", loses much of "big".
    Map<String, TaskScore> a = merged(0.06, 0.985, 0.55, 0.78);
    Map<String, TaskScore> b = merged(0.02, 0.99, 1.2, 0.55);
    assertThat(Objective.score("harmonic", b, SOURCES, 0).cost()).isLessThan(Objective.score("harmonic", a, SOURCES, 0).cost());
    assertThat(Objective.score("loss_gap", a, SOURCES, 0).cost()).isLessThan(Objective.score("loss_gap", b, SOURCES, 0).cost());
    assertThat(Objective.score("metrics", a, SOURCES, 0).cost()).isLessThan(Objective.score("metrics", b, SOURCES, 0).cost());
  }

  @Test
  void lowerIsBetterMetricsAreInvertedAndMissingOnesFailTheTrial() {
    Map<String, TaskScore> source = Map.of("t", new TaskScore(1.0, Map.of("bits_per_byte", 2.0), Math.log(256)));
    Map<String, TaskScore> worse = Map.of("t", new TaskScore(1.5, Map.of("bits_per_byte", 2.5), Math.log(256)));
    assertThat(Objective.score("metrics", worse, source, 0).cost()).isCloseTo(1 - 2.0 / 2.5, within(1e-12));
    Map<String, TaskScore> none = Map.of("t", new TaskScore(1.5, Map.of(), Math.log(256)));
    assertThat(Objective.score("metrics", none, source, 0).failed()).isTrue();
    Map<String, TaskScore> nan = Map.of("t", new TaskScore(Double.NaN, Map.of("bits_per_byte", 2.5), Math.log(256)));
    assertThat(Objective.score("loss_gap", nan, source, 0).failed()).isTrue();
  }
}
