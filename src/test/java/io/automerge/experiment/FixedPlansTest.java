package io.automerge.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedPlansTest {
  @Test
  void rq1IsEveryTechniqueAtEqualWeightsAndDensity065() {
    List<FixedPlan> plans = FixedPlans.rq1(2);
    assertThat(plans).extracting(FixedPlan::technique)
        .containsExactly("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties", "slerp",
            "breadcrumbs", "breadcrumbs_ties", "della", "della_linear", "model_stock");
    assertThat(plans).allSatisfy(p -> assertThat(p.choice().weights()).containsExactly(0.5, 0.5));
    assertThat(plans).extracting(p -> p.choice().density())
        .containsExactly(null, null, 0.65, 0.65, 0.65, null, 0.65, 0.65, 0.65, 0.65, null);
    // slerp's endpoints are the two sources (t = the second one's weight); model_stock takes no weights
    assertThat(plans.get(5).choice().toRecipeParameters()).containsExactly(java.util.Map.entry("t", 0.5));
    assertThat(plans.get(10).choice().toRecipeParameters()).isEmpty();
    List<FixedPlan> three = FixedPlans.rq1(3);
    assertThat(three.get(0).choice().weights()).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    assertThat(three).extracting(FixedPlan::technique).doesNotContain("slerp").contains("model_stock");
  }

  @Test
  void rq2IsTheWeightAndWeightTimesDensityGrid() {
    List<FixedPlan> plans = FixedPlans.rq2(2);
    assertThat(plans).hasSize(2 * 11 + 3 * 6 * 6);
    assertThat(plans.stream().filter(p -> p.technique().equals("linear")).map(FixedPlan::weight).toList())
        .containsExactly(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    List<FixedPlan> ties = plans.stream().filter(p -> p.technique().equals("ties")).toList();
    assertThat(ties.stream().map(FixedPlan::weight).distinct().toList()).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
    assertThat(ties.stream().map(p -> p.choice().density()).distinct().toList()).containsExactly(0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    assertThat(plans).allSatisfy(p -> assertThat(p.choice().weights().get(0) + p.choice().weights().get(1)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12)));
  }

  @Test
  void rq2NeedsAPair() {
    assertThatThrownBy(() -> FixedPlans.rq2(3)).isInstanceOf(InvalidInputException.class).hasMessageContaining("two source models");
  }
}
