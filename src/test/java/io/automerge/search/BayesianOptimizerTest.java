package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {
  private final SearchSpace space = SyntheticObjective.benchmarkSpace();
  private final SyntheticObjective objective = new SyntheticObjective(space);

  private OptimizerSettings settings(long seed) {
    return OptimizerSettings.builder().seed(seed).candidates(2000).build();
  }

  private BayesianOptimizer runFor(int trials, OptimizerSettings settings) {
    BayesianOptimizer optimizer = new BayesianOptimizer(space, settings);
    for (int i = 0; i < trials; i++) {
      Proposal p = optimizer.ask();
      optimizer.tell(p.trialNumber(), objective.cost(p.plan()));
    }
    return optimizer;
  }

  @Test
  void initialProposalsAreTheShiftedSobolDesign() {
    BayesianOptimizer optimizer = new BayesianOptimizer(space, settings(3));
    double[][] design = SobolDesign.unitPoints(space.dimensions(), 20, 3);
    for (int k = 0; k < 20; k++) {
      Proposal p = optimizer.ask();
      assertThat(p.trialNumber()).isEqualTo(k);
      assertThat(p.plan()).isEqualTo(space.decode(space.fromUnitCube(design[k])));
    }
  }

  @Test
  void warmStartProposesEveryUniformPlanBeforeTheSobolDesign() {
    OptimizerSettings warm = OptimizerSettings.builder().seed(3).candidates(2000).warmStart(true).build();
    BayesianOptimizer optimizer = new BayesianOptimizer(space, warm);
    List<TrialPlan> uniform = space.uniformPlans();
    assertThat(uniform).hasSize(space.techniques().size());
    for (TrialPlan plan : uniform) {
      assertThat(optimizer.ask().plan()).isEqualTo(plan);
    }
    double[][] design = SobolDesign.unitPoints(space.dimensions(), 20, 3);
    for (int k = 0; k < 20; k++) {
      assertThat(optimizer.ask().plan()).isEqualTo(space.decode(space.fromUnitCube(design[k])));
    }
  }

  @Test
  void warmStartEndsWithTheBaseModelWhereTheSpaceHoldsIt() {
    SearchSpace free = SearchSpace.builder().blocks(List.of("tokenizer", "encoder", "head")).models(2).freeWeights(0, 1).build();
    OptimizerSettings warm = OptimizerSettings.builder().seed(3).candidates(2000).warmStart(true).build();
    BayesianOptimizer optimizer = new BayesianOptimizer(free, warm);
    for (TrialPlan plan : free.uniformPlans()) {
      assertThat(optimizer.ask().plan()).isEqualTo(plan);
    }
    assertThat(optimizer.ask().plan()).isEqualTo(free.basePlan().orElseThrow());
    double[][] design = SobolDesign.unitPoints(free.dimensions(), 20, 3);
    assertThat(optimizer.ask().plan()).isEqualTo(free.decode(free.fromUnitCube(design[0])));
  }

  @Test
  void aModelIsNotProposedAgainUnderAnotherName() {
    // the base is the best model here: every zero-weight block is the base, whatever its technique
    SearchSpace free = SearchSpace.builder().blocks(List.of("tokenizer", "encoder", "head")).models(2).freeWeights(0, 1).build();
    OptimizerSettings warm = OptimizerSettings.builder().seed(5).initialPoints(4).candidates(500).warmStart(true).build();
    BayesianOptimizer optimizer = new BayesianOptimizer(free, warm);
    java.util.Set<List<Double>> models = new java.util.HashSet<>();
    ModelKeys keys = new ModelKeys(free);
    for (int k = 0; k < 40; k++) {
      Proposal p = optimizer.ask();
      assertThat(models.add(keys.of(p.plan()))).as("trial %d: %s", k, p.plan()).isTrue();
      double cost = 1 + p.plan().blocks().values().stream().flatMap(c -> c.weights().stream()).mapToDouble(Double::doubleValue).sum();
      optimizer.tell(p.trialNumber(), cost);
    }
  }

  @Test
  void theSameHistoryGivesTheSameProposal() throws Exception {
    BayesianOptimizer original = runFor(30, settings(42));
    original.ask(); // two pending trials are part of the history too
    original.ask();
    OptimizerState state = original.state();

    OptimizerState replayed = OptimizerState.initial(space, settings(42));
    for (Trial t : state.trials()) {
      replayed = replayed.withProposal(new Proposal(t.number(), t.plan()));
      if (t.status() == TrialStatus.COMPLETED) {
        replayed = replayed.withCost(t.number(), t.cost());
      }
    }
    Proposal expected = original.propose(state);
    assertThat(original.propose(state)).as("proposing twice").isEqualTo(expected);
    assertThat(new BayesianOptimizer(replayed).ask()).isEqualTo(expected);

    ObjectMapper json = new ObjectMapper();
    OptimizerState fromJson = json.readValue(json.writeValueAsString(state), OptimizerState.class);
    assertThat(fromJson).isEqualTo(state);
    assertThat(new BayesianOptimizer(fromJson).ask()).isEqualTo(expected);
    CBORMapper cbor = new CBORMapper();
    OptimizerState fromCbor = cbor.readValue(cbor.writeValueAsBytes(state), OptimizerState.class);
    assertThat(new BayesianOptimizer(fromCbor).ask()).isEqualTo(expected);

    OptimizerState otherSeed = new OptimizerState(space, settings(43), state.trials());
    assertThat(original.propose(otherSeed).plan()).isNotEqualTo(expected.plan());
  }

  @Test
  void pendingTrialsAreFantasizedSoParallelWorkersGetDistinctProposals() {
    OptimizerSettings noInterleave = OptimizerSettings.builder().seed(8).candidates(2000).randomInterleave(0).build();
    BayesianOptimizer optimizer = runFor(25, noInterleave);
    Set<TrialPlan> evaluated = new HashSet<>();
    optimizer.state().trials().forEach(t -> evaluated.add(t.plan()));
    List<TrialPlan> parallel = List.of(optimizer.ask().plan(), optimizer.ask().plan(), optimizer.ask().plan(), optimizer.ask().plan());
    assertThat(new HashSet<>(parallel)).hasSize(4);
    assertThat(parallel).noneMatch(evaluated::contains);
    assertThat(optimizer.state().pending()).hasSize(4);

    // The liar shapes the training data: each pending trial stands at the best cost so far.
    BayesianOptimizer.TrainingSet data = BayesianOptimizer.TrainingSet.of(optimizer.state());
    double best = optimizer.state().best().orElseThrow().cost();
    assertThat(data.cost()).hasSize(29);
    for (int i = 25; i < 29; i++) {
      assertThat(data.cost()[i]).isEqualTo(best);
    }
  }

  @Test
  void failuresAreRecordedAtTheWorstCostAndNeverBecomeBest() {
    BayesianOptimizer optimizer = new BayesianOptimizer(space, settings(5));
    Proposal a = optimizer.ask();
    Proposal b = optimizer.ask();
    Proposal c = optimizer.ask();
    Proposal d = optimizer.ask();
    optimizer.tell(a.trialNumber(), 2.5);
    optimizer.tell(b.trialNumber(), Double.NaN);
    optimizer.tell(c.trialNumber(), Double.POSITIVE_INFINITY);
    optimizer.fail(d.trialNumber());
    Proposal e = optimizer.ask();
    optimizer.tell(e.trialNumber(), 1.5);
    OptimizerState state = optimizer.state();
    assertThat(state.trials()).extracting(Trial::status).containsExactly(
        TrialStatus.COMPLETED, TrialStatus.FAILED, TrialStatus.FAILED, TrialStatus.FAILED, TrialStatus.COMPLETED);
    assertThat(state.best().orElseThrow().number()).isEqualTo(e.trialNumber());
    assertThat(BayesianOptimizer.TrainingSet.of(state).cost()).containsExactly(2.5, 2.5, 2.5, 2.5, 1.5);
    assertThatThrownBy(() -> optimizer.tell(d.trialNumber(), 1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> optimizer.tell(99, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void learnsToAvoidARegionThatAlwaysFails() {
    // Every plan with 'linear' on the tokenizer crashes. Random proposals would hit it 1 time in 5.
    OptimizerSettings noInterleave = OptimizerSettings.builder().seed(21).candidates(2000).randomInterleave(0).build();
    BayesianOptimizer optimizer = new BayesianOptimizer(space, noInterleave);
    int modelBasedFailures = 0;
    for (int i = 0; i < 60; i++) {
      Proposal p = optimizer.ask();
      if (p.plan().block("tokenizer").technique().equals("linear")) {
        optimizer.fail(p.trialNumber());
        modelBasedFailures += i >= 20 ? 1 : 0;
      } else {
        optimizer.tell(p.trialNumber(), objective.cost(p.plan()));
      }
    }
    assertThat(modelBasedFailures).isLessThanOrEqualTo(2);
  }

  @Test
  void keepsProposingWhenEveryInitialTrialFailed() {
    BayesianOptimizer optimizer = new BayesianOptimizer(space, OptimizerSettings.builder().seed(1).initialPoints(3).candidates(500).build());
    for (int i = 0; i < 5; i++) {
      optimizer.fail(optimizer.ask().trialNumber());
    }
    Proposal next = optimizer.ask();
    assertThat(next.trialNumber()).isEqualTo(5);
    assertThat(space.encode(next.plan())).hasSize(space.dimensions());
    assertThat(optimizer.state().best()).isEmpty();
  }

  @Test
  void randomSearchIsDeterministicPerTrialNumber() {
    RandomSearch a = new RandomSearch(space, settings(4));
    Proposal first = a.ask();
    a.tell(first.trialNumber(), 3.0);
    Proposal second = a.ask();
    RandomSearch b = new RandomSearch(space, settings(4));
    b.ask();
    assertThat(b.ask()).isEqualTo(second);
    assertThat(second.plan()).isNotEqualTo(first.plan());
  }
}
