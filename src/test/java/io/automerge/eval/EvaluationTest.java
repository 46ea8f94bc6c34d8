package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Split;
import io.automerge.data.Tasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.LlamaConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void imageMetricsAreExactOverUnevenBatches() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      ArchitectureModel model = Architectures.build(new CctConfig(28, 1, 10, new int[] {4, 8}, 3, 1, 2, 16, 1e-5).toJson(), "t").initialize(m);
      var task = Tasks.parse("fashion-mnist:tops");
      EvaluationResult whole = Evaluation.evaluate(model, task, Split.TEST, 100, 100, m);
      EvaluationResult pieces = Evaluation.evaluate(model, task, Split.TEST, 100, 33, m);
      assertThat(whole.samples()).isEqualTo(100);
      assertThat(whole.metrics()).containsOnlyKeys("top1", "top5");
      assertThat(pieces.loss()).isCloseTo(whole.loss(), within(1e-5));
      assertThat(pieces.metrics()).isEqualTo(whole.metrics());
      // An untrained ten-way head is close to uniform: loss near ln(10).
      assertThat(whole.loss()).isCloseTo(Math.log(10), within(0.5));
      assertThat(whole.metrics().get("top5")).isGreaterThanOrEqualTo(whole.metrics().get("top1"));
    }
  }

  @Test
  void textMetricsReportBitsPerByte() {
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model =
          Architectures.build(new LlamaConfig(256, 16, 32, 1, 2, 2, 8, 1e-5, 10000.0, 64, false, false, false).toJson(), "t").initialize(m);
      EvaluationResult r = Evaluation.evaluate(model, Tasks.parse("fortunes:de", 32), Split.VAL, 8, 4, m);
      assertThat(r.samples()).isEqualTo(8);
      assertThat(r.units()).isEqualTo(8 * 32);
      assertThat(r.metrics().get("bits_per_byte")).isCloseTo(r.loss() / Math.log(2), within(1e-9));
      assertThat(r.metrics().get("next_byte_accuracy")).isBetween(0.0, 1.0);
    }
  }
}
