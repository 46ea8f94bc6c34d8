package io.automerge.actors;

import io.automerge.actors.SearchState.Trial;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which idle worker gets which trial: pure functions of the trials, the idle workers and what is
 * in flight, so the coordinator's dispatch is a sequence of decisions that tests can read.
 * Each takes the workers it assigns out of {@code idle}.
 */
final class WorkerAssignments {
  private WorkerAssignments() {}

  /** Unfinished trials, each preferring a worker other than the one its last attempt ran on. */
  static <W> Map<Integer, W> retries(List<Trial> pending, List<W> idle, Set<Integer> inFlight, Function<W, String> name) {
    Map<Integer, W> assignments = new HashMap<>();
    for (Trial t : pending) {
      if (idle.isEmpty()) {
        break;
      }
      if (!inFlight.contains(t.id())) {
        W w = idle.stream().filter(x -> !name.apply(x).equals(t.lastWorker())).findFirst().orElse(idle.get(0));
        idle.remove(w);
        assignments.put(t.id(), w);
      }
    }
    return assignments;
  }

  /** One trial per idle worker, in order, skipping those in flight (the final re-scoring). */
  static <W> Map<Integer, W> inOrder(List<Trial> trials, List<W> idle, Set<Integer> inFlight) {
    Map<Integer, W> assignments = new HashMap<>();
    for (Trial t : trials) {
      if (idle.isEmpty()) {
        break;
      }
      if (!inFlight.contains(t.id())) {
        assignments.put(t.id(), idle.remove(0));
      }
    }
    return assignments;
  }
}
