package io.automerge.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import io.automerge.actors.OptimizerProposer;
import io.automerge.actors.PlanProposer;
import io.automerge.search.ProposalStrategy;
import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import io.automerge.search.TrialPlan;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExperimentPlanTest {
  @Test
  void runsAreDerivedDeterministicallyFromSpecMethodAndSeed() {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("1", "2", "3", "5", "random"), 2);
    assertThat(plan.runs()).extracting(r -> r.spec().id()).containsExactly(
        "pair.x-rq1-rq2-" + (FixedPlans.rq1(2).size() + FixedPlans.rq2(2).size()), "pair.x-automerge-s0", "pair.x-automerge-whole-s0", "pair.x-random-s0",
        "pair.x-automerge-s1", "pair.x-automerge-whole-s1", "pair.x-random-s1");
    assertThat(ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("1", "2", "3", "5", "random"), 2)).isEqualTo(plan);

    ExperimentRun fixed = plan.runs().get(0);
    assertThat(fixed.spec().segmentation()).isEqualTo("whole");
    int rq1 = FixedPlans.rq1(2).size(); // every registered technique usable with two models
    assertThat(fixed.spec().trials()).isEqualTo(rq1 + 130);
    assertThat(((RunStrategy.Fixed) fixed.strategy()).plans().subList(0, rq1)).isEqualTo(FixedPlans.rq1(2));

    ExperimentRun am1 = plan.runs("automerge").get(1);
    assertThat(am1.spec().seed()).isEqualTo(8);
    assertThat(am1.spec().segmentation()).isEqualTo("shape");
    assertThat(am1.spec().trials()).isEqualTo(30);
    assertThat(am1.spec().output()).isEqualTo("/m/out-experiment/automerge-s1");
    assertThat(plan.runs("automerge_whole").get(0).spec().segmentation()).isEqualTo("whole");
    assertThat(plan.runs("random").get(0).strategy()).isEqualTo(new RunStrategy.Optimized(ProposalStrategy.Algorithm.RANDOM));
  }

  @Test
  void theDefaultRowIsNamedByItsSettingsSoAChangedDefaultStartsNewRuns() {
    var spec = ExperimentFixtures.spec(30);
    ExperimentRun run = ExperimentPlan.of(spec, Set.of("default"), 1).runs().get(0);
    String tag = ExperimentPlan.settingsTag(spec);
    assertThat(tag).matches("[0-9a-f]{6}");
    assertThat(run.spec().id()).isEqualTo("pair.x-automerge-default-" + tag + "-s0");
    assertThat(run.method()).isEqualTo(ExperimentPlan.DEFAULT);
    var warm = spec.with(java.util.Map.of("warm_start", !spec.warmStart()));
    assertThat(ExperimentPlan.settingsTag(warm)).isNotEqualTo(tag);
    assertThat(ExperimentPlan.settingsTag(spec.with(java.util.Map.of("trials", 31)))).isEqualTo(tag); // the budget is not a default
    assertThat(ExperimentPlan.settingsTag(spec.with(java.util.Map.of("groups", java.util.List.of("mlp"))))).isNotEqualTo(tag);
  }

  @Test
  void aVariantsOwnBudgetAndSegmentationWin() {
    var spec = ExperimentFixtures.spec(30);
    var variant = ExperimentPlan.Variant.parse("deep:segmentation=layers:1;trials=12;initial=4");
    var run = ExperimentPlan.of(spec, Set.of("default"), 1, java.util.List.of(variant)).runs("v-deep").get(0);
    assertThat(run.spec().trials()).isEqualTo(12);
    assertThat(run.spec().initial()).isEqualTo(4);
    assertThat(run.spec().segmentation()).isEqualTo("layers:1");
    var plain = ExperimentPlan.of(spec, Set.of("default"), 1).runs(ExperimentPlan.DEFAULT).get(0);
    assertThat(plain.spec().trials()).isEqualTo(30);
    assertThat(plain.spec().segmentation()).isEqualTo(spec.segmentation());
  }

  @Test
  void onlyTheAskedQuestionsRun() {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("1", "3"), 1);
    assertThat(plan.runs()).extracting(ExperimentRun::name).containsExactly("fixed", "automerge-s0");
    assertThat(plan.runs().get(0).spec().id()).isEqualTo("pair.x-rq1-" + FixedPlans.rq1(2).size());
    assertThat(plan.runs().get(0).spec().trials()).isEqualTo(FixedPlans.rq1(2).size());
  }

  @Test
  void anyTaskSplitAndModelCountGivesTheSameRunsWithoutRq2() {
    var base = ExperimentFixtures.spec(30);
    var three = new io.automerge.search.SearchSpec(base.id(), base.baseModel(), List.of(
        new io.automerge.search.SearchSpec.SourceModel("/m/a", "fashion-mnist:classes=0,1,2"),
        new io.automerge.search.SearchSpec.SourceModel("/m/b", "fashion-mnist:classes=3,4,5"),
        new io.automerge.search.SearchSpec.SourceModel("/m/c", "fashion-mnist:classes=6,7,8,9")),
        base.segmentation(), io.automerge.search.SearchSpec.techniquesFor(3), base.density(), 30, 4, base.validation(), base.workers(),
        base.seed(), base.output());
    ExperimentPlan plan = ExperimentPlan.of(three, Set.of("1", "3", "5", "random"), 1);
    assertThat(plan.runs()).extracting(ExperimentRun::name).containsExactly("fixed", "automerge-s0", "automerge_whole-s0", "random-s0");
    assertThat(((RunStrategy.Fixed) plan.runs().get(0).strategy()).plans().get(0).choice().weights()).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    assertThat(plan.runs().get(1).spec().models()).isEqualTo(three.models());
    assertThatThrownBy(() -> ExperimentPlan.of(three, Set.of("2"), 1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void badQuestionsAndSeedsAreUserErrors() {
    assertThatThrownBy(() -> ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("4"), 1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("--rq");
    assertThatThrownBy(() -> ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("3"), 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("--seeds");
  }

  @Test
  void fixedRunsProposeTheirPlansInOrderOnEveryBlock() {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("1", "3"), 1);
    ExperimentRun fixed = plan.runs().get(0);
    PlanProposer proposer = PlanProposer.of(fixed.strategy().proposals());
    String id = fixed.spec().id();
    SearchState state = SearchState.empty(id)
        .apply(new SearchEvent.SearchStarted(id, fixed.spec(), fixed.strategy().proposals(), 0))
        .apply(new SearchEvent.SegmentationDecided(id, ExperimentFixtures.segmentation("a", "b")));
    for (int trial = 1; trial <= 5; trial++) {
      TrialPlan p = proposer.propose(state, trial);
      BlockChoice expected = FixedPlans.rq1(2).get(trial - 1).choice();
      assertThat(p.blocks()).containsOnlyKeys("a", "b");
      assertThat(p.block("a")).isEqualTo(expected);
      assertThat(p.block("b")).isEqualTo(expected);
      state = state.apply(new SearchEvent.TrialProposed(id, trial, p));
    }
  }

  @Test
  void optimizedRunsAskTheirOptimizer() {
    ExperimentPlan plan = ExperimentPlan.of(ExperimentFixtures.spec(30), Set.of("3", "random"), 1);
    for (ExperimentRun run : plan.runs()) {
      String id = run.spec().id();
      SearchState state = SearchState.empty(id)
          .apply(new SearchEvent.SearchStarted(id, run.spec(), run.strategy().proposals(), 0))
          .apply(new SearchEvent.SegmentationDecided(id, ExperimentFixtures.segmentation("a", "b")));
      ProposalStrategy.Algorithm algorithm = ((RunStrategy.Optimized) run.strategy()).algorithm();
      assertThat(PlanProposer.of(state.strategy()).propose(state, 1))
          .isEqualTo(new OptimizerProposer(ProposalStrategy.optimizer(algorithm)).propose(state, 1));
    }
  }
}
