package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WorkerAssignmentsTest {
  private static Trial trial(int id, String lastWorker) {
    return new Trial(id, null, Outcome.PROPOSED, lastWorker == null ? 0 : 1, null, lastWorker, null, null, null, 0);
  }

  @Test
  void aRetryPrefersAnotherWorkerAndInFlightTrialsWait() {
    List<String> idle = new ArrayList<>(List.of("w0", "w1"));
    Map<Integer, String> got = WorkerAssignments.retries(
        List.of(trial(1, "w0"), trial(2, null), trial(3, null)), idle, Set.of(2), Function.identity());
    assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of(1, "w1", 3, "w0"));
    assertThat(idle).isEmpty();
  }

  @Test
  void aRetryTakesTheFailedWorkerWhenNoOtherIsIdle() {
    List<String> idle = new ArrayList<>(List.of("w0"));
    assertThat(WorkerAssignments.retries(List.of(trial(1, "w0")), idle, Set.of(), Function.identity())).containsEntry(1, "w0");
  }

  @Test
  void rescoresGoOnePerIdleWorkerInOrder() {
    List<String> idle = new ArrayList<>(List.of("w0", "w1"));
    Map<Integer, String> got = WorkerAssignments.inOrder(List.of(trial(5, null), trial(7, null), trial(9, null)), idle, Set.of(7));
    assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of(5, "w0", 9, "w1"));
  }
}
