package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import io.automerge.search.HyperbandSchedule.Evaluation;
import io.automerge.search.HyperbandSchedule.Next;
import io.automerge.search.HyperbandSchedule.Promote;
import io.automerge.search.HyperbandSchedule.Start;
import io.automerge.search.HyperbandSchedule.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class HyperbandScheduleTest {
  private static final int R = 500;
  private static final Fidelity FIDELITY = new Fidelity(50, 3, null);

  @Test
  void rungsGrowByEtaUpToTheWholeSample() {
    assertThat(FIDELITY.maxStage(R)).isEqualTo(2);
    assertThat(FIDELITY.rungs(R)).containsExactly(56, 167, 500);
    assertThat(new Fidelity(100, 3, null).rungs(1000)).containsExactly(111, 333, 1000);
    assertThat(new Fidelity(100, 2, null).rungs(1000)).containsExactly(125, 250, 500, 1000);
  }

  @Test
  void bracketSizesAreHyperbands() {
    // s_max = 2, eta = 3: 9 → 3 → 1, then 5 → 1 (from rung 1), then 3 (at rung 2 only)
    assertThat(HyperbandSchedule.rungSizes(0, 2, 3)).containsExactly(9, 3, 1);
    assertThat(HyperbandSchedule.rungSizes(1, 2, 3)).containsExactly(5, 1);
    assertThat(HyperbandSchedule.rungSizes(2, 2, 3)).containsExactly(3);
  }

  /** Runs the schedule to its end with one worker, costs from {@code cost(config)}; returns every evaluation. */
  private static List<Evaluation> runAll(Fidelity fidelity, long budget, IntToDoubleFunction cost) {
    List<Evaluation> done = new ArrayList<>();
    for (int trial = 1; ; trial++) {
      Next next = HyperbandSchedule.next(fidelity, R, budget, done);
      if (next instanceof HyperbandSchedule.Done) {
        return done;
      }
      FidelityRung rung = next instanceof Start s ? new FidelityRung(s.bracket(), s.rung(), s.samples(), trial)
          : new FidelityRung(((Promote) next).bracket(), ((Promote) next).rung(), ((Promote) next).samples(), ((Promote) next).config());
      done.add(new Evaluation(trial, rung, Status.COMPLETED, cost.applyAsDouble(rung.config())));
    }
  }

  @Test
  void promotesTheBestThirdOfEachRungAndStopsWithinTheBudget() {
    // cost falls with the config's trial id modulo 7: promotions must follow the rank, not the order
    IntToDoubleFunction cost = config -> (config * 5) % 7 + config / 100.0;
    List<Evaluation> all = runAll(FIDELITY, 15L * R, cost);
    long spent = all.stream().mapToLong(e -> e.rung().samples()).sum();
    assertThat(spent).isLessThanOrEqualTo(15L * R);

    List<Evaluation> first = all.stream().filter(e -> e.rung().bracket() == 0).toList();
    List<Evaluation> rung0 = first.stream().filter(e -> e.rung().rung() == 0).toList();
    List<Evaluation> rung1 = first.stream().filter(e -> e.rung().rung() == 1).toList();
    List<Evaluation> rung2 = first.stream().filter(e -> e.rung().rung() == 2).toList();
    assertThat(rung0).hasSize(9).allMatch(e -> e.rung().samples() == 56);
    List<Integer> bestThree = rung0.stream().sorted((a, b) -> Double.compare(a.cost(), b.cost()))
        .limit(3).map(e -> e.rung().config()).toList();
    assertThat(rung1).extracting(e -> e.rung().config()).containsExactlyElementsOf(bestThree);
    assertThat(rung2).extracting(e -> e.rung().config()).containsExactly(bestThree.get(0));
    assertThat(rung2.get(0).rung().samples()).isEqualTo(R);
    // bracket 1 starts 5 new configurations at rung 1
    assertThat(all.stream().filter(e -> e.rung().bracket() == 1 && e.rung().rung() == 1).count()).isEqualTo(5);
    // more configurations than a full-fidelity search of the same samples could try (15)
    long configs = all.stream().map(e -> e.rung().config()).distinct().count();
    assertThat(configs).isGreaterThan(15);
  }

  @Test
  void waitsForTheWholeRungBeforePromotingAndOpensTheNextBracketMeanwhile() {
    List<Evaluation> evals = new ArrayList<>();
    for (int t = 1; t <= 9; t++) {
      evals.add(new Evaluation(t, new FidelityRung(0, 0, 56, t), t == 9 ? Status.PENDING : Status.COMPLETED, t == 9 ? null : 1.0 * t));
    }
    Next next = HyperbandSchedule.next(FIDELITY, R, 100L * R, evals);
    assertThat(next).isEqualTo(new Start(1, 1, 167)); // bracket 0 waits for trial 9; bracket 1 starts
    evals.set(8, new Evaluation(9, new FidelityRung(0, 0, 56, 9), Status.COMPLETED, 0.5));
    assertThat(HyperbandSchedule.next(FIDELITY, R, 100L * R, evals)).isEqualTo(new Promote(0, 1, 167, 9));
  }

  @Test
  void failedEvaluationsAreNeverPromoted() {
    List<Evaluation> evals = new ArrayList<>();
    for (int t = 1; t <= 9; t++) {
      evals.add(new Evaluation(t, new FidelityRung(0, 0, 56, t), t <= 7 ? Status.FAILED : Status.COMPLETED, t <= 7 ? null : 1.0 * t));
    }
    evals.add(new Evaluation(10, new FidelityRung(0, 1, 167, 8), Status.COMPLETED, 2.0));
    evals.add(new Evaluation(11, new FidelityRung(0, 1, 167, 9), Status.COMPLETED, 1.0));
    // two of three promotable: the rung is as full as it gets, the best of it goes on
    assertThat(HyperbandSchedule.next(FIDELITY, R, 100L * R, evals)).isEqualTo(new Promote(0, 2, 500, 9));
  }

  @Test
  void equalCostsArePromotedByTheirTieBreakThenByTheEarlierTrial() {
    List<Evaluation> evals = new ArrayList<>();
    // nine at rung 0, three promoted: costs 1 (trials 1, 2), then 2 for trials 3..9 with
    // tie-breaks 0.9, 0.7, null, 0.7, 0.8, ...: the third place goes to trial 4 (0.7, earlier than 6)
    double[] tieBreaks = {0.1, 0.2, 0.9, 0.7, Double.NaN, 0.7, 0.8, 0.85, 0.95};
    for (int t = 1; t <= 9; t++) {
      Double tieBreak = Double.isNaN(tieBreaks[t - 1]) ? null : tieBreaks[t - 1];
      evals.add(new Evaluation(t, new FidelityRung(0, 0, 56, t), Status.COMPLETED, t <= 2 ? 1.0 : 2.0, tieBreak));
    }
    List<Integer> promoted = new ArrayList<>();
    for (int step = 0; step < 3; step++) {
      Promote next = (Promote) HyperbandSchedule.next(FIDELITY, R, 100L * R, evals);
      promoted.add(next.config());
      evals.add(new Evaluation(20 + step, new FidelityRung(0, 1, 167, next.config()), Status.PENDING, null));
    }
    assertThat(promoted).containsExactly(1, 2, 4);
    // without tie-breaks (a journal from before them), the earlier trial
    List<Evaluation> plain = new ArrayList<>();
    for (int t = 1; t <= 9; t++) {
      plain.add(new Evaluation(t, new FidelityRung(0, 0, 56, t), Status.COMPLETED, t <= 2 ? 1.0 : 2.0));
    }
    plain.add(new Evaluation(20, new FidelityRung(0, 1, 167, 1), Status.PENDING, null));
    plain.add(new Evaluation(21, new FidelityRung(0, 1, 167, 2), Status.PENDING, null));
    assertThat(HyperbandSchedule.next(FIDELITY, R, 100L * R, plain)).isEqualTo(new Promote(0, 1, 167, 3));
  }

  @Test
  void doneOnlyWhenNothingRunsAndNothingFits() {
    List<Evaluation> evals = List.of(new Evaluation(1, new FidelityRung(0, 0, 56, 1), Status.PENDING, null));
    assertThat(HyperbandSchedule.next(FIDELITY, R, 100, evals)).isInstanceOf(HyperbandSchedule.Wait.class);
    List<Evaluation> finished = List.of(new Evaluation(1, new FidelityRung(0, 0, 56, 1), Status.COMPLETED, 1.0));
    assertThat(HyperbandSchedule.next(FIDELITY, R, 100, finished)).isInstanceOf(HyperbandSchedule.Done.class);
  }

  @Test
  void oneBracketIsSuccessiveHalving() {
    List<Evaluation> all = runAll(new Fidelity(50, 3, 1), 10L * R, c -> c);
    assertThat(all.stream().map(e -> e.rung().bracket()).distinct()).contains(0, 1);
    assertThat(all).allMatch(e -> e.rung().config() == e.trial() ? e.rung().rung() == 0 : e.rung().rung() > 0);
  }

  @Test
  void badSpecsSayWhatIsWrongInOneLine() {
    assertThatThrownBy(() -> new Fidelity(600, 3, null).check(R, "s.yaml: "))
        .isInstanceOf(InvalidInputException.class).hasMessage(
            "s.yaml: fidelity.min_samples: 600 × eta 3 exceeds validation.samples_per_task 500 (no rung below the full sample)");
    assertThatThrownBy(() -> new Fidelity(50, 1, null).check(R, "s.yaml: "))
        .hasMessage("s.yaml: fidelity.eta: expected an integer >= 2, the factor between rungs (got 1)");
    assertThatThrownBy(() -> new Fidelity(null, 3, null).check(R, "s.yaml: "))
        .hasMessageStartingWith("s.yaml: fidelity.min_samples: required");
    assertThatThrownBy(() -> new Fidelity(50, 3, 4).check(R, "s.yaml: "))
        .hasMessage("s.yaml: fidelity.brackets: expected 1 to 3 for these samples (got 4)");
  }
}
