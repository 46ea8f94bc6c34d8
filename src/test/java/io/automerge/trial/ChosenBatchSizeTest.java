package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.eval.FittingBatch;
import io.automerge.eval.ModelTasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code batch_size} a session chooses its batch from one probe forward pass: for a Llama
 * the largest block output is the logits, so an example costs 16 x window x vocabulary floats,
 * plus 4 x heads x window x window for the attention scores.
 */
class ChosenBatchSizeTest {
  @TempDir static Path dir;
  static Bf16LlamaPair pair;

  @BeforeAll
  static void models() {
    pair = Bf16LlamaPair.create(dir.resolve("pair"), 64, 128, 2);
  }

  @Test
  void aLlamasExampleCostsSixteenTimesItsLogitsAndFourTimesItsAttentionScores() {
    SearchSpec spec = pair.spec("probe", "");
    Task task = ModelTasks.tensorTasks(ModelTasks.ofSearch(spec)).get(0);
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(pair.base(), manager);
      long window = task.batch(manager, Split.VAL, 0, 1).inputs().getShape().get(1);
      long vocab = model.parametersByName().get("lm_head.weight").getArray().getShape().get(0);
      assertThat(window).isGreaterThan(1);
      long heads = model.config().path("num_attention_heads").asLong();
      assertThat(heads).isEqualTo(4);
      assertThat(FittingBatch.perExampleBytes(model, task, manager)).isEqualTo(4 * (16L * window * vocab + 4L * heads * window * window));
    }
  }

  @Test
  void aSpecWithoutBatchSizeGetsTheFittingOneAndASpecWithOneKeepsIt() {
    SearchSpec chosen = pair.spec("chosen", "cache_sources_on_device: off\n");
    SearchSpec fixed = pair.spec("fixed", "cache_sources_on_device: off\nbatch_size: 3\n");
    assertThat(chosen.batchSize()).isNull();
    ResidentTrialBackend backend = ResidentTrialBackend.builder().build();
    Segmentation segmentation = backend.segment(chosen);
    try (ResidentSession session = (ResidentSession) backend.open(chosen, segmentation, Device.cpu())) {
      // a tiny model: 250 examples of a few hundred KiB fit in any machine's free memory
      assertThat(CacheSources.hostAvailableBytes()).isGreaterThan(1L << 30);
      assertThat(session.batchSize()).isEqualTo(FittingBatch.MAX);
    }
    try (ResidentSession session = (ResidentSession) backend.open(fixed, segmentation, Device.cpu())) {
      assertThat(session.batchSize()).isEqualTo(3);
    }
  }
}
