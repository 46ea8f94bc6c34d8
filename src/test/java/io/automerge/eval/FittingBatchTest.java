package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The batch-size rule: the activation budget is half the float32 model (at least 256 MiB) and at
 * most a quarter of the free memory; 250 examples when they fit in it, else the largest power of two.
 */
class FittingBatchTest {
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @Test
  void the212mLlamaOfTheBenchGetsTwoExamples() {
    // 64-token windows, vocabulary 32000, 16 heads: 16 x 64 x 32000 + 4 x 16 x 64 x 64 floats = 126 MiB
    long perExample = 4L * (FittingBatch.ACTIVATION_FACTOR * 64L * 32000 + FittingBatch.ATTENTION_COPIES * 16L * 64 * 64);
    long model = 212_102_144L * 4;
    // budget: half of 0.79 GiB = 405 MiB, 3 examples fit
    assertThat(FittingBatch.choose(16 * GIB, model, perExample)).isEqualTo(2);
    // a quarter of 1 GiB free (256 MiB) is the tighter bound: 2 fit
    assertThat(FittingBatch.choose(GIB, 8 * model, perExample)).isEqualTo(2);
    // a model 8 times larger gets 8 times the budget until a quarter of the free memory binds
    assertThat(FittingBatch.choose(64 * GIB, 8 * model, perExample)).isEqualTo(16);
  }

  @Test
  void smallModelsKeepTheFullBatchWithinTheMinimumBudget() {
    assertThat(FittingBatch.choose(16 * GIB, 4 * MIB, KIB)).isEqualTo(FittingBatch.MAX);
    assertThat(FittingBatch.choose(16 * GIB, 0, MIB)).isEqualTo(FittingBatch.MAX); // 256 fit
    assertThat(FittingBatch.choose(16 * GIB, 0, 256 * MIB / 249)).isEqualTo(128); // 249 fit
  }

  @Test
  void atLeastOneExampleEvenWhenNothingFitsOrTheFreeMemoryIsUnknown() {
    assertThat(FittingBatch.choose(16 * GIB, GIB, 2 * GIB)).isEqualTo(1);
    assertThat(FittingBatch.choose(0, GIB, MIB)).isEqualTo(1);
    assertThat(FittingBatch.choose(-1, GIB, MIB)).isEqualTo(1);
    assertThatThrownBy(() -> FittingBatch.choose(GIB, GIB, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
