package io.automerge.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import io.automerge.data.Tasks;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairSpecTest {
  @Test
  void customPairsAreNamedAfterTheirTasks() {
    PairSpec spec =
        PairSpec.custom("halves", "cct", Tasks.splitList("fashion-mnist:classes=0,1,2,3,4,fashion-mnist:classes=5,6,7,8,9"), 7);
    assertThat(spec.models()).extracting(PairSpec.TaskModel::name).containsExactly("fashion-mnist_classes-0.1.2.3.4", "fashion-mnist_classes-5.6.7.8.9");
    assertThat(spec.baseTasks()).containsExactly("fashion-mnist:all");
    assertThat(spec.config().get("architecture").asText()).isEqualTo("cct");
    assertThat(spec.basePlan().seed()).isEqualTo(7);
  }

  @Test
  void textPairsTrainTheirBaseOnEveryTaskInTurn() {
    PairSpec spec = PairSpec.builtIn(PairSpec.FORTUNES_LLAMA, 1);
    assertThat(spec.baseTasks()).containsExactly("fortunes:en", "fortunes:de");
    assertThat(spec.models()).extracting(PairSpec.TaskModel::name).containsExactly("english", "german");
    assertThat(spec.scaled(0.001).basePlan().steps()).isEqualTo(2);
  }

  @Test
  void codeProseFineTunesOnPythonAndEnglishWithABpeOfBoth() {
    PairSpec spec = PairSpec.builtIn(PairSpec.CODE_PROSE_LLAMA, 42);
    assertThat(PairSpec.BUILT_IN).contains(PairSpec.CODE_PROSE_LLAMA);
    assertThat(spec.models()).extracting(PairSpec.TaskModel::name).containsExactly("code", "prose");
    assertThat(spec.models()).extracting(PairSpec.TaskModel::task).containsExactly("python:stdlib", "fortunes:en");
    assertThat(spec.baseTasks()).containsExactly("python:stdlib", "fortunes:en");
    assertThat(spec.bpeTasks()).containsExactly("python:stdlib", "fortunes:en");
    assertThat(spec.config().get("vocab_size").asInt()).isEqualTo(spec.bpeVocabSize());
    assertThat(spec.scaled(0.01).bpeTasks()).isEqualTo(spec.bpeTasks());
  }

  @Test
  void fortunesOnlyPairsKeepTheFortunesBpeWhateverTheirTaskOrder() {
    assertThat(PairSpec.builtIn(PairSpec.FORTUNES_LLAMA, 1).bpeTasks()).containsExactly("fortunes:en", "fortunes:de");
    assertThat(PairSpec.custom("p", "llama", List.of("fortunes:de", "fortunes:en"), 1).bpeTasks()).containsExactly("fortunes:en", "fortunes:de");
    assertThat(PairSpec.custom("p", "llama", List.of("fortunes:de", "python:stdlib"), 1).bpeTasks()).containsExactly("fortunes:de", "python:stdlib");
  }

  @Test
  void architectureMustFitTheData() {
    assertThatThrownBy(() -> PairSpec.custom("p", "llama", java.util.List.of("fashion-mnist:tops", "fashion-mnist:others"), 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("--arch llama");
    assertThatThrownBy(() -> PairSpec.custom("p", "cct", java.util.List.of("fashion-mnist:tops"), 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least two");
  }
}
