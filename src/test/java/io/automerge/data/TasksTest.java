package io.automerge.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void splitsTaskListsOnlyWhereANewTaskStarts() {
    assertThat(Tasks.splitList("fashion-mnist:classes=0,1,2,3,4,fashion-mnist:classes=5,6,7,8,9"))
        .containsExactly("fashion-mnist:classes=0,1,2,3,4", "fashion-mnist:classes=5,6,7,8,9");
    assertThat(Tasks.splitList("fortunes:en,fortunes:de")).containsExactly("fortunes:en", "fortunes:de");
    assertThat(Tasks.splitList("fashion-mnist:tops, fortunes:de")).containsExactly("fashion-mnist:tops", "fortunes:de");
  }

  @Test
  void fashionSplitsAreFixedCarvedAndFilteredByClass() {
    Task all = Tasks.parse("fashion-mnist:all");
    assertThat(all.size(Split.TRAIN) + all.size(Split.VAL)).isEqualTo(60_000);
    assertThat(all.size(Split.VAL)).isEqualTo(ImageClassificationTask.VAL_IMAGES);
    assertThat(all.size(Split.TEST)).isEqualTo(10_000);
    Task tops = Tasks.parse("fashion-mnist:tops");
    Task others = Tasks.parse("fashion-mnist:others");
    assertThat(tops.size(Split.TEST)).isEqualTo(5_000);
    assertThat(tops.size(Split.VAL) + others.size(Split.VAL)).isEqualTo(all.size(Split.VAL));
    Task custom = Tasks.parse("fashion-mnist:classes=0,2,3,4,6");
    assertThat(custom.size(Split.VAL)).isEqualTo(tops.size(Split.VAL));
    try (NDManager m = NDManager.newBaseManager()) {
      TaskBatch batch = tops.batch(m, Split.VAL, 0, 64);
      assertThat(batch.inputs().getShape().getShape()).containsExactly(64, 1, 28, 28);
      assertThat(java.util.Arrays.stream(batch.labels().toLongArray()).boxed().toList()).isSubsetOf(0L, 2L, 3L, 4L, 6L);
      long[] a = tops.randomTrainBatch(m, new Random(7), 16).labels().toLongArray();
      long[] b = tops.randomTrainBatch(m, new Random(7), 16).labels().toLongArray();
      assertThat(a).containsExactly(b);
    }
  }

  @Test
  void fortunesHaveHeldOutTestFilesAndNextByteLabels() {
    Task en = Tasks.parse("fortunes:en", 32);
    assertThat(en.size(Split.TRAIN)).isGreaterThan(1000);
    assertThat(en.size(Split.VAL)).isGreaterThan(10);
    assertThat(en.size(Split.TEST)).isGreaterThan(10);
    try (NDManager m = NDManager.newBaseManager()) {
      TaskBatch batch = en.batch(m, Split.TEST, 0, 2);
      long[] x = batch.inputs().toLongArray();
      long[] y = batch.labels().toLongArray();
      assertThat(batch.inputs().getShape().getShape()).containsExactly(2, 32);
      // The label of position t is the input of position t+1.
      for (int t = 0; t < 31; t++) {
        assertThat(y[t]).isEqualTo(x[t + 1]);
      }
    }
  }

  @Test
  void fortuneEntriesSplitOnPercentLines() {
    byte[] file = "one\nline\n%\ntwo\n%\n".getBytes(StandardCharsets.UTF_8);
    List<byte[]> entries = Fortunes.entries(file);
    assertThat(entries).hasSize(2);
    assertThat(new String(entries.get(0), StandardCharsets.UTF_8)).isEqualTo("one\nline\n");
    assertThat(new String(entries.get(1), StandardCharsets.UTF_8)).isEqualTo("two\n");
  }

  @Test
  void missingDatasetsNameTheDebianPackage(@TempDir Path empty) {
    assertThatThrownBy(() -> Fortunes.load(empty, Fortunes.Language.DE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fortunes-de")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> FashionMnist.train(empty))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dataset-fashion-mnist");
  }

  @Test
  void badTaskNamesAreOneLineErrors() {
    assertThatThrownBy(() -> Tasks.parse("fashion-mnist:classes=3,12")).isInstanceOf(InvalidInputException.class).hasMessageContaining("class 12");
    assertThatThrownBy(() -> Tasks.parse("imagenet:all")).isInstanceOf(InvalidInputException.class).hasMessageContaining("imagenet:all");
    assertThatThrownBy(() -> Tasks.parse("fortunes:fr")).isInstanceOf(InvalidInputException.class).hasMessageContaining("fr");
  }
}
