package io.automerge.actors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A coordinator's transient view of its workers: which it knows (and watches), which trial each
 * runs, and which have the search loaded. Nothing here is persisted: after every restart the
 * coordinator clears it and finds the workers again through the receptionist.
 */
final class WorkerPool {
  private final Set<ActorRef<GpuWorker.Command>> workers = new LinkedHashSet<>();
  private final Map<Integer, ActorRef<GpuWorker.Command>> inFlight = new HashMap<>();
  private final Set<ActorRef<GpuWorker.Command>> loadedOn = new HashSet<>();

  void clear() {
    workers.clear();
    inFlight.clear();
    loadedOn.clear();
  }

  /** Asks the receptionist for the workers, now and whenever they change ({@link SearchProtocol.WorkersChanged}). */
  void subscribe(ActorContext<SearchProtocol.Command> ctx) {
    ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
        l -> new SearchProtocol.WorkersChanged(l.getServiceInstances(GpuWorker.SERVICE_KEY)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(GpuWorker.SERVICE_KEY, listings));
  }

  /** The receptionist's current listing: newcomers are watched, the departed forgotten. */
  void track(Set<ActorRef<GpuWorker.Command>> current, ActorContext<SearchProtocol.Command> ctx) {
    for (ActorRef<GpuWorker.Command> w : current) {
      if (workers.add(w)) {
        ctx.watchWith(w, new SearchProtocol.WorkerTerminated(w));
      }
    }
    workers.retainAll(current);
    loadedOn.retainAll(current);
  }

  void forget(ActorRef<GpuWorker.Command> worker) {
    workers.remove(worker);
    loadedOn.remove(worker);
  }

  /** Known workers with no trial in flight, in the order they joined. */
  List<ActorRef<GpuWorker.Command>> idle() {
    List<ActorRef<GpuWorker.Command>> idle = new ArrayList<>(workers);
    idle.removeAll(inFlight.values());
    return idle;
  }

  Set<Integer> running() {
    return inFlight.keySet();
  }

  void assign(Map<Integer, ActorRef<GpuWorker.Command>> assignments) {
    inFlight.putAll(assignments);
  }

  /** The trial's answer came: the worker that ran it, or null for a late or unknown one. */
  ActorRef<GpuWorker.Command> finished(int trial) {
    return inFlight.remove(trial);
  }

  /** Nothing is in flight any more (a cancelled search). */
  void dropInFlight() {
    inFlight.clear();
  }

  /** The trials {@code worker} had in flight, no longer in flight. */
  List<Integer> dropTrialsOf(ActorRef<GpuWorker.Command> worker) {
    List<Integer> trials = new ArrayList<>();
    inFlight.entrySet().removeIf(e -> {
      if (!e.getValue().equals(worker)) {
        return false;
      }
      trials.add(e.getKey());
      return true;
    });
    return trials;
  }

  /**
   * Sends each assigned worker its trial (a re-score on the whole validation split, or the trial's
   * rung of samples), and the search first where the worker has not loaded it since it (re)joined.
   */
  void send(String searchId, SearchState state, Map<Integer, ActorRef<GpuWorker.Command>> assignments, boolean rescore,
      ActorRef<GpuWorker.TrialOutcome> replyTo) {
    assignments.forEach((id, worker) -> {
      if (loadedOn.add(worker)) {
        worker.tell(new GpuWorker.LoadSearch(searchId, state.spec(), state.segmentation()));
      }
      SearchState.Trial trial = state.trials().get(id);
      Integer samples = rescore || trial.fidelity() == null ? null : trial.fidelity().samples();
      worker.tell(new GpuWorker.RunTrial(searchId, id, trial.plan(), rescore, replyTo, samples));
    });
  }

  /** The worker lost the search (it said so): the next trial loads it again. */
  void unloaded(ActorRef<GpuWorker.Command> worker) {
    loadedOn.remove(worker);
  }

  void forEachWorker(Consumer<ActorRef<GpuWorker.Command>> action) {
    workers.forEach(action);
  }
}
