package io.automerge.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FidelityCorrectionTest {

  @Test
  void shiftsEachRungByTheMedianStepOfConfigurationsSeenOnBoth() {
    // rung 0 -> 1 steps: +0.02, +0.01, +0.04 (median 0.02); rung 1 -> 2 steps: +0.01, +0.03 (median 0.02)
    List<Map<Integer, Double>> costs = List.of(
        Map.of(0, 0.00, 1, 0.02, 2, 0.03),
        Map.of(0, 0.03, 1, 0.04, 2, 0.07),
        Map.of(0, 0.01, 1, 0.05),
        Map.of(0, 0.30));
    FidelityCorrection c = FidelityCorrection.fit(costs, 3);
    assertEquals(0.02, c.shift(0), 1e-12);
    assertEquals(0.02, c.shift(1), 1e-12);
    assertEquals(0.30 + 0.04, c.toTop(0.30, 0), 1e-12);
    assertEquals(0.05 + 0.02, c.toTop(0.05, 1), 1e-12);
    assertEquals(0.07, c.toTop(0.07, 2), 1e-12, "a top-rung cost stays as measured");
  }

  @Test
  void aStepWithoutPairsAddsNothingAndOrderWithinARungIsKept() {
    List<Map<Integer, Double>> costs = List.of(Map.of(0, 0.10), Map.of(0, 0.05), Map.of(1, 0.2, 2, 0.1));
    FidelityCorrection c = FidelityCorrection.fit(costs, 3);
    assertEquals(0.0, c.shift(0), 0.0);
    assertEquals(-0.1, c.shift(1), 1e-12);
    assertEquals(0.0, c.toTop(0.10, 0) - c.toTop(0.05, 0) - 0.05, 1e-12);
  }
}
