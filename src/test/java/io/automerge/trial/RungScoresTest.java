package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.automerge.eval.TaskScore;
import io.automerge.eval.TinyCctPair;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A multi-fidelity rung scores the first n samples of the search's validation sample, whatever the batches. */
class RungScoresTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  private static SearchSpec spec(int samples) {
    TinyCctPair pair = TinyCctPair.shared();
    return new SearchSpec("rungs", pair.base().toString(), List.of(
        new SearchSpec.SourceModel(pair.tops().toString(), TinyCctPair.TOPS),
        new SearchSpec.SourceModel(pair.others().toString(), TinyCctPair.OTHERS)),
        "whole", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0), 1, 1, new SearchSpec.Validation(samples), "1", 3, "/tmp/unused");
  }

  @Test
  void theFirstNSamplesScoreAsASearchWithNSamplesWould() {
    Segmentation whole = new ResidentTrialBackend().segment(spec(60));
    // batches of 16: 25 samples end inside the second batch
    try (ResidentSession full = ResidentSession.open(spec(60), whole, Device.cpu(), 16);
        ResidentSession small = ResidentSession.open(spec(25), whole, Device.cpu(), 16)) {
      Map<String, TaskScore> rungSources = full.sourceScores(25);
      Map<String, TaskScore> smallSources = small.sourceScores(false);
      Map<String, TaskScore> rung = full.scores(25);
      Map<String, TaskScore> expected = small.scores(false);
      for (String task : List.of(TinyCctPair.TOPS, TinyCctPair.OTHERS)) {
        assertThat(rung.get(task).loss()).isCloseTo(expected.get(task).loss(), Offset.offset(1e-5));
        assertThat(rungSources.get(task).loss()).isCloseTo(smallSources.get(task).loss(), Offset.offset(1e-5));
      }
      assertThat(rung.get(TinyCctPair.TOPS).loss()).isNotEqualTo(full.scores(false).get(TinyCctPair.TOPS).loss());
      assertThat(full.samplesScored(false, 25)).isEqualTo(50);
      assertThat(full.samplesScored(false, null)).isEqualTo(120);
    }
  }
}
