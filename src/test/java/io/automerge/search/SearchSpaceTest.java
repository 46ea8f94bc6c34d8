package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.automerge.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  private final SearchSpace twoModels = SearchSpace.builder()
      .blocks(List.of("tokenizer", "encoder", "head")).models(2).build();

  @Test
  void twoModelsGiveWeightAndOneMinusWeight() {
    double[] point = {2, 0.3, 0.4, /* encoder */ 0, 0.9, -1, /* head */ 4, 0.0, 1.0};
    TrialPlan plan = twoModels.decode(point);
    assertThat(plan.block("tokenizer").technique()).isEqualTo("ties");
    assertThat(plan.block("tokenizer").weights().get(0)).isEqualTo(0.3);
    assertThat(plan.block("tokenizer").weights().get(1)).isCloseTo(0.7, within(1e-15));
    assertThat(plan.block("tokenizer").density()).isCloseTo(0.7, within(1e-12));
    assertThat(plan.block("head").density()).isEqualTo(1.0);
    assertThat(plan.block("head").weights()).containsExactly(0.0, 1.0);
    assertThat(twoModels.encode(plan)).containsExactly(point, within(1e-12));
  }

  @Test
  void densityIsAbsentAndEncodedMinusOneWhenTheTechniqueHasNone() {
    Rng rng = new Rng(7);
    int inactive = 0;
    for (int i = 0; i < 500; i++) {
      double[] point = twoModels.randomPoint(rng);
      TrialPlan plan = twoModels.decode(point);
      for (int b = 0; b < 3; b++) {
        BlockChoice choice = plan.block(twoModels.blocks().get(b));
        boolean uses = Set.of("ties", "dare_linear", "dare_ties").contains(choice.technique());
        if (uses) {
          assertThat(choice.density()).isBetween(0.5, 1.0);
          assertThat(point[twoModels.scalarIndex(b, "density")]).isBetween(0.0, 1.0);
          assertThat(choice.toRecipeParameters()).containsKeys("weights", "density");
        } else {
          inactive++;
          assertThat(choice.density()).isNull();
          assertThat(point[twoModels.scalarIndex(b, "density")]).isEqualTo(SearchSpace.INACTIVE);
          assertThat(choice.toRecipeParameters()).containsOnlyKeys("weights");
        }
      }
    }
    assertThat(inactive).isBetween(500, 700); // 2 of 5 techniques, 1500 blocks
  }

  @Test
  void aTechniqueWithoutWeightsHasInactiveWeightCoordinatesSoItsPlansAreOneConfiguration() {
    SearchSpace space = SearchSpace.builder().blocks(List.of("tokenizer", "encoder")).models(2)
        .techniques(List.of("linear", "model_stock")).freeWeights(0, 1).build();
    // Two plans that differ only in model_stock's weights: the same model, so the same point.
    TrialPlan a = new TrialPlan(Map.of("tokenizer", new BlockChoice("model_stock", List.of(0.9, 0.1), null),
        "encoder", new BlockChoice("linear", List.of(0.2, 0.7), null)));
    TrialPlan b = new TrialPlan(Map.of("tokenizer", new BlockChoice("model_stock", List.of(0.3, 0.4), null),
        "encoder", new BlockChoice("linear", List.of(0.2, 0.7), null)));
    double[] point = space.encode(a);
    assertThat(point).containsExactly(new double[] {1, -1, -1, -1, 0, 0.2, 0.7, -1}, within(1e-12));
    assertThat(space.encode(b)).containsExactly(point);
    assertThat(space.decode(point).block("tokenizer").weights()).containsExactly(0.5, 0.5);
    assertThat(space.decode(point).block("tokenizer").effectiveWeights()).isNull();

    Rng rng = new Rng(3);
    for (int i = 0; i < 300; i++) {
      double[] random = space.randomPoint(rng);
      for (int block = 0; block < 2; block++) {
        int t = space.techniqueIndex(block);
        boolean weightless = random[t] == 1;
        assertThat(random[t + 1] < 0).isEqualTo(weightless);
        assertThat(random[t + 2] < 0).isEqualTo(weightless);
      }
    }
    // Local search never moves an inactive weight; switching to linear starts its weights in the middle.
    AcquisitionMaximizer maximizer = new AcquisitionMaximizer(space, null, null, rng);
    for (double[] n : maximizer.neighbours(point)) {
      if (n[0] == 1) {
        assertThat(n[1]).isEqualTo(SearchSpace.INACTIVE);
        assertThat(n[2]).isEqualTo(SearchSpace.INACTIVE);
      } else {
        assertThat(n[1]).isEqualTo(0.5);
        assertThat(n[2]).isEqualTo(0.5);
      }
    }
  }

  @Test
  void weightsAreSearchedForTheTechniquesThatDeclareThemAndSlerpSearchesItsT() {
    SearchSpace space = SearchSpace.builder().blocks(List.of("a")).models(2)
        .techniques(List.of("linear", "slerp", "model_stock", "ties")).build();
    assertThat(space.usesWeights(0)).isTrue();
    assertThat(space.usesWeights(1)).isFalse();
    assertThat(space.usesWeights(2)).isFalse();
    assertThat(space.scalars()).containsExactly("density", "t");
    TrialPlan slerp = new TrialPlan(Map.of("a", new BlockChoice("slerp", Map.of("t", 0.3), List.of(0.5, 0.5))));
    double[] point = space.encode(slerp);
    assertThat(point).containsExactly(new double[] {1, -1, -1, 0.3}, within(1e-12));
    assertThat(space.decode(point)).isEqualTo(slerp);
    assertThat(slerp.block("a").toRecipeParameters()).containsOnly(Map.entry("t", 0.3));
    // a slerp choice recorded when t was the second model's share of the weights still means that t
    TrialPlan legacy = new TrialPlan(Map.of("a", new BlockChoice("slerp", List.of(0.25, 0.75), null)));
    assertThat(space.encode(legacy)[3]).isCloseTo(0.75, within(1e-12));
    assertThat(legacy.block("a").toRecipeParameters()).containsOnly(Map.entry("t", 0.75));
  }

  @Test
  void threeModelWeightsCoverTheSimplex() {
    SearchSpace three = SearchSpace.builder().blocks(List.of("all")).models(3).build();
    assertThat(three.blockWidth()).isEqualTo(4);
    for (List<Double> target : List.of(
        List.of(1.0, 0.0, 0.0), List.of(0.0, 1.0, 0.0), List.of(0.0, 0.0, 1.0),
        List.of(1 / 3.0, 1 / 3.0, 1 / 3.0), List.of(0.1, 0.6, 0.3))) {
      TrialPlan plan = new TrialPlan(Map.of("all", new BlockChoice("linear", target, null)));
      List<Double> back = three.decode(three.encode(plan)).block("all").weights();
      for (int i = 0; i < 3; i++) {
        assertThat(back.get(i)).isCloseTo(target.get(i), within(1e-12));
      }
    }
    Rng rng = new Rng(3);
    for (int i = 0; i < 200; i++) {
      List<Double> w = three.decode(three.randomPoint(rng)).block("all").weights();
      assertThat(w).allSatisfy(x -> assertThat(x).isBetween(0.0, 1.0));
      assertThat(w.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void uniformPlansAreEachTechniqueAtEqualWeightsMovedIntoTheSearchedRanges() {
    SearchSpace space = SearchSpace.builder().blocks(List.of("a", "b")).models(2)
        .freeWeights(0.6, 1.2).density(0.7, 1.0).lambda(1.5, 2.0).build();
    List<TrialPlan> plans = space.uniformPlans();
    assertThat(plans).extracting(p -> p.block("a").technique()).containsExactlyElementsOf(space.techniques());
    for (TrialPlan plan : plans) {
      assertThat(plan.block("a")).isEqualTo(plan.block("b"));
      assertThat(plan.block("a").weights()).containsExactly(0.6, 0.6); // 1/2, moved into [0.6, 1.2]
    }
    assertThat(plans.get(2).block("a").density()).isEqualTo(0.7); // ties: 0.65 moved into [0.7, 1]
    assertThat(plans.get(0).block("a").density()).isNull();
    assertThat(plans.get(1).block("a").lambda()).isEqualTo(1.5);
    assertThat(plans.get(0).block("a").lambda()).isNull();
    // the simplex: 1/N each, as RQ1's fixed plans
    SearchSpace simplex = SearchSpace.builder().blocks(List.of("a")).models(2).build();
    assertThat(simplex.uniformPlans().get(2).block("a")).isEqualTo(new BlockChoice("ties", List.of(0.5, 0.5), 0.65));
  }

  @Test
  void basePlanIsTheFirstTechniqueKeepingTheBaseAtZeroWeights() {
    SearchSpace free = SearchSpace.builder().blocks(List.of("a", "b")).models(3).freeWeights(0, 1.5).lambda(0.5, 2).build();
    TrialPlan base = free.basePlan().orElseThrow();
    for (String block : List.of("a", "b")) {
      assertThat(base.block(block).technique()).isEqualTo("task_arithmetic");
      assertThat(base.block(block).weights()).containsExactly(0.0, 0.0, 0.0);
      assertThat(base.block(block).lambda()).isEqualTo(1.0);
    }
    assertThat(free.decode(free.encode(base))).isEqualTo(base);
    // linear normalizes: next to the base plan, its zero weights (which a recipe refuses) become equal weights
    TrialPlan zeroLinear = new TrialPlan(Map.of("a", new BlockChoice("linear", List.of(0.0, 0.0, 0.0), null),
        "b", base.block("b")));
    assertThat(free.decode(free.encode(zeroLinear)).block("a").weights()).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    // a zero-weight block of any technique that keeps the base there is the base plan's block
    TrialPlan tiesAtZero = new TrialPlan(Map.of("a", new BlockChoice("ties", List.of(0.0, 0.0, 0.0), 0.8),
        "b", new BlockChoice("ties", List.of(0.0, 0.5, 0.0), 0.8)));
    ModelKeys keys = new ModelKeys(free);
    assertThat(keys.canonical(tiesAtZero).block("a")).isEqualTo(base.block("a"));
    assertThat(keys.canonical(tiesAtZero).block("b")).isEqualTo(tiesAtZero.block("b"));
    assertThat(keys.of(free.encode(tiesAtZero))).isNotEqualTo(keys.of(free.encode(base)));
    assertThat(keys.of(free.encode(new TrialPlan(Map.of("a", tiesAtZero.block("a"), "b", base.block("b"))))))
        .isEqualTo(keys.of(free.encode(base)));
    // no plan of these spaces is the base: simplex weights sum to 1, a range above 0, no such technique
    assertThat(SearchSpace.builder().blocks(List.of("a")).models(2).build().basePlan()).isEmpty();
    assertThat(SearchSpace.builder().blocks(List.of("a")).models(2).freeWeights(0.1, 1).build().basePlan()).isEmpty();
    assertThat(SearchSpace.builder().blocks(List.of("a")).models(2).freeWeights(0, 1)
        .techniques(List.of("linear", "slerp", "model_stock")).build().basePlan()).isEmpty();
  }

  @Test
  void rejectsBadSpacesInOneLine() {
    assertThatThrownBy(() -> SearchSpace.builder().blocks(List.of("a")).models(1).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("models must be at least 2");
    assertThatThrownBy(() -> SearchSpace.builder().blocks(List.of("a")).density(0.0, 1.0).build())
        .isInstanceOf(InvalidInputException.class).hasMessage("search space: density range [0, 1] must lie within (0, 1] (what ties accepts)");
    assertThatThrownBy(() -> SearchSpace.builder().blocks(List.of("a")).techniques(List.of("linear", "nonesuch")).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown technique 'nonesuch'");
    assertThatThrownBy(() -> SearchSpace.builder().blocks(List.of("a", "a")).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("distinct");
    // a plan without a value is what its merge ran with: the declared default
    SearchSpace one = SearchSpace.builder().blocks(List.of("a")).build();
    TrialPlan noDensity = new TrialPlan(Map.of("a", new BlockChoice("ties", List.of(0.5, 0.5), null)));
    assertThat(one.encode(noDensity)[one.scalarIndex(0, "density")]).isEqualTo(1.0); // ties' default density 1
    assertThatThrownBy(() -> one.encode(new TrialPlan(Map.of("a", new BlockChoice("ties", Map.of(), List.of(0.5, 0.5, 0.0))))))
        .isInstanceOf(InvalidInputException.class).hasMessage("trial plan block 'a': expected 2 weights, got 3");
  }

  @Test
  void plansSurviveJsonAndCbor() throws Exception {
    TrialPlan plan = twoModels.decode(twoModels.randomPoint(new Rng(11)));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readValue(json.writeValueAsString(plan), TrialPlan.class)).isEqualTo(plan);
    CBORMapper cbor = new CBORMapper();
    assertThat(cbor.readValue(cbor.writeValueAsBytes(plan), TrialPlan.class)).isEqualTo(plan);
    assertThat(json.readValue(json.writeValueAsString(twoModels), SearchSpace.class)).isEqualTo(twoModels);
  }
}
