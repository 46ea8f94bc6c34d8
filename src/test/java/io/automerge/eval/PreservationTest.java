package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreservationTest {
  @Test
  void rateIsTheMeanRatioOfMetricsInPercent() {
    double pr = Preservation.rate(Map.of("top1", 0.8, "top5", 0.99), Map.of("top1", 0.9, "top5", 1.0));
    assertThat(pr).isCloseTo(100 * (0.8 / 0.9 + 0.99) / 2, within(1e-9));
  }

  @Test
  void bitsPerByteIsInvertedBecauseLowerIsBetter() {
    double pr = Preservation.rate(Map.of("next_byte_accuracy", 0.5, "bits_per_byte", 2.5),
        Map.of("next_byte_accuracy", 0.5, "bits_per_byte", 2.0));
    assertThat(pr).isCloseTo(100 * (1.0 + 2.0 / 2.5) / 2, within(1e-9));
  }

  @Test
  void perplexityAndATasksOwnListAreLowerIsBetter() {
    assertThat(Preservation.rate(Map.of("perplexity", 12.0, "token_accuracy", 0.3), Map.of("perplexity", 10.0, "token_accuracy", 0.4)))
        .isCloseTo(100 * (10.0 / 12.0 + 0.3 / 0.4) / 2, within(1e-9));
    assertThat(Preservation.rate(Map.of("distance", 2.0, "closeness", 0.5), Map.of("distance", 1.0, "closeness", 1.0),
        java.util.Set.of("distance"))).isCloseTo(100 * (0.5 + 0.5) / 2, within(1e-9));
  }

  @Test
  void aMetricTheSourceScoresZeroOnHasNoRatioAndIsLeftOut() {
    assertThat(Preservation.rate(Map.of("perplexity", 20.0, "token_accuracy", 0.0), Map.of("perplexity", 10.0, "token_accuracy", 0.0)))
        .isCloseTo(50.0, within(1e-9));
    assertThat(Preservation.rate(Map.of("accuracy", 0.1), Map.of("accuracy", 0.0))).isNaN();
  }

  @Test
  void discrepancyIsTheSpreadOfRates() {
    assertThat(Preservation.discrepancy(List.of(97.0, 88.5, 91.0))).isCloseTo(8.5, within(1e-12));
  }
}
