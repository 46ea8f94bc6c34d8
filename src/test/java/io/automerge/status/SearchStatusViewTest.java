package io.automerge.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detail view the HTTP API adds to `automerge status`: incumbent per block, ETA, workers. */
class SearchStatusViewTest {
  private static final SearchSpec SPEC = new SearchSpec("s", "/m/base",
      List.of(new SearchSpec.SourceModel("/m/a", "a"), new SearchSpec.SourceModel("/m/b", "b")),
      "shape", SearchSpec.DEFAULT_TECHNIQUES, List.of(0.5, 1.0), 5, 2, new SearchSpec.Validation(10), "2", 1, "/tmp/out");

  private static TrialPlan plan(String technique, double w) {
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    blocks.put("tokenizer", new BlockChoice(technique, List.of(w, 1 - w), null));
    blocks.put("head", new BlockChoice("ties", List.of(0.5, 0.5), 0.7));
    return new TrialPlan(blocks);
  }

  @Test
  void incumbentEtaAndWorkersFollowTheEvents() {
    SearchState s = SearchState.empty("s")
        .apply(new SearchEvent.SearchStarted("s", SPEC, io.automerge.search.ProposalStrategy.bayesian(), 1_000))
        .apply(new SearchEvent.TrialProposed("s", 1, plan("linear", 0.3)))
        .apply(new SearchEvent.TrialProposed("s", 2, plan("ties", 0.6)))
        .apply(new SearchEvent.TrialProposed("s", 3, plan("linear", 0.9)))
        .apply(new SearchEvent.TrialCompleted("s", 1, plan("linear", 0.3), Map.of(), null, 0.8, "w0", 2_000, null, null))
        .apply(new SearchEvent.TrialCompleted("s", 2, plan("ties", 0.6), Map.of(), null, 0.5, "w1", 4_000, null, null));
    Map<String, Object> detail = SearchStatusView.detail(s, 11_000);

    @SuppressWarnings("unchecked")
    Map<String, Object> incumbent = (Map<String, Object>) detail.get("incumbent");
    assertThat(incumbent).containsEntry("trial", 2).containsEntry("cost", 0.5);
    assertThat((List<?>) incumbent.get("blocks")).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = ((List<Map<String, Object>>) incumbent.get("blocks")).get(0);
    assertThat(first)
        .containsEntry("block", "tokenizer").containsEntry("technique", "ties").containsEntry("parameters", Map.of());
    // 3 trials left × 3 s mean ÷ 1 in flight.
    assertThat(detail.get("eta_seconds")).isEqualTo(9.0);
    assertThat(detail.get("workers")).isEqualTo(List.of(
        Map.of("worker", "w0", "trials", 1L, "busy_seconds", 2.0, "busy_share", 0.2),
        Map.of("worker", "w1", "trials", 1L, "busy_seconds", 4.0, "busy_share", 0.4)));
    assertThat(detail).containsEntry("state", "running").containsKeys("id", "trials", "best", "blocks");
  }

  @Test
  void noEtaBeforeTheFirstResult() {
    SearchState s = SearchState.empty("s").apply(new SearchEvent.SearchStarted("s", SPEC, io.automerge.search.ProposalStrategy.bayesian(), 1_000))
        .apply(new SearchEvent.TrialProposed("s", 1, plan("linear", 0.3)));
    assertThat(SearchStatusView.etaSeconds(s)).isNull();
    assertThat(SearchStatusView.detail(s, 2_000).get("incumbent")).isNull();
  }
}
