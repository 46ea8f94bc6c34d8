package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The batch-size rule: 250 when 250 examples fit a quarter of the free memory, else the largest power of two that fits. */
class FittingBatchTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @Test
  void aLlamaWithAVocabularyOf32000Gets8ExamplesOutOf4GiB() {
    // 64-token windows: 64 x 32000 float32 logits x 16 = 125 MiB per example; a quarter of 4 GiB holds 8
    long perExample = 64L * 32000 * 4 * FittingBatch.ACTIVATION_FACTOR;
    assertThat(FittingBatch.choose(4 * GIB, perExample)).isEqualTo(8);
    assertThat(FittingBatch.choose(8 * GIB, perExample)).isEqualTo(16);
    // 12 fit: the power of two below
    assertThat(FittingBatch.choose(6 * GIB, perExample)).isEqualTo(8);
  }

  @Test
  void smallModelsKeepTheFullBatch() {
    assertThat(FittingBatch.choose(16 * GIB, MIB)).isEqualTo(FittingBatch.MAX);
    assertThat(FittingBatch.choose(1000 * MIB, MIB)).isEqualTo(FittingBatch.MAX); // exactly 250 fit
    assertThat(FittingBatch.choose(996 * MIB, MIB)).isEqualTo(128); // 249 fit
  }

  @Test
  void atLeastOneExampleEvenWhenNothingFitsOrTheFreeMemoryIsUnknown() {
    assertThat(FittingBatch.choose(GIB, 2 * GIB)).isEqualTo(1);
    assertThat(FittingBatch.choose(0, MIB)).isEqualTo(1);
    assertThat(FittingBatch.choose(-1, MIB)).isEqualTo(1);
    assertThatThrownBy(() -> FittingBatch.choose(GIB, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
