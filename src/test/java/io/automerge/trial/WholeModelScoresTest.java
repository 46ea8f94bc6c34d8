package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.eval.TinyCctPair;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WholeModelScoresTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void aSettingThatIsOneSourceKeepsThatSourcesTaskWhole() {
    TinyCctPair pair = TinyCctPair.shared();
    SearchSpec spec = new SearchSpec("scores", pair.base().toString(), List.of(
        new SearchSpec.SourceModel(pair.tops().toString(), TinyCctPair.TOPS),
        new SearchSpec.SourceModel(pair.others().toString(), TinyCctPair.OTHERS)),
        "whole", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0), 1, 1, new SearchSpec.Validation(50), "1", 3, "/tmp/unused");
    List<Integer> progress = new ArrayList<>();
    List<WholeModelScores.Score> scores = WholeModelScores.score(spec, List.of(
        new BlockChoice("linear", List.of(1.0, 0.0), null),
        new BlockChoice("linear", List.of(0.0, 1.0), null),
        new BlockChoice("ties", List.of(0.5, 0.5), 0.65)), 200, 100, progress::add);

    assertThat(progress).containsExactly(1, 2, 3);
    // Weight 1 on one source is that source, bit for bit: its own task is preserved exactly.
    assertThat(scores.get(0).preservationRate().get("fashion-mnist:tops")).isCloseTo(100.0, Offset.offset(1e-9));
    assertThat(scores.get(1).preservationRate().get("fashion-mnist:others")).isCloseTo(100.0, Offset.offset(1e-9));
    assertThat(scores.get(2).test()).containsOnlyKeys("fashion-mnist:tops", "fashion-mnist:others");
    assertThat(scores.get(2).test().get("fashion-mnist:tops").samples()).isEqualTo(200);
  }
}
