package io.automerge.actors;

import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Phase;
import io.automerge.actors.SearchState.Trial;
import io.automerge.export.SearchOutcome;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.trial.TrialBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.*;

/**
 * One search, event-sourced under {@code Search|<id>}: owns spec, segmentation, trials and
 * (through the events) the optimizer. Keeps one trial in flight per known worker, retries a
 * failed trial once on another worker, and re-dispatches unfinished trials after recovery.
 */
public final class SearchCoordinator extends EventSourcedBehaviorWithEnforcedReplies<SearchCoordinator.Command, SearchEvent, SearchState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Search");

  public sealed interface Command extends CborSerializable {}

  public record Start(SearchSpec spec, ActorRef<StartReply> replyTo) implements Command {}

  public record Cancel(ActorRef<SearchState> replyTo) implements Command {}

  public record GetState(ActorRef<SearchState> replyTo) implements Command {}

  /** Reply to Start: the sequence number this run's events start after, or why it can't start. */
  public record StartReply(boolean accepted, long fromSequenceNr, String error) implements CborSerializable {}

  record WorkersChanged(Set<ActorRef<GpuWorker.Command>> workers) implements Command {}

  record WorkerTerminated(ActorRef<GpuWorker.Command> worker) implements Command {}

  record TrialAnswered(GpuWorker.TrialOutcome outcome) implements Command {}

  /** Look for idle workers and work to give them (sent to self after each persist). */
  record Dispatch() implements Command {}

  record Segmented(Segmentation segmentation, String error) implements Command {}

  record Exported(TrialBackend.ExportResult result, String error) implements Command {}

  /** What the coordinator needs from its node: the backend, the optimizer and an executor for blocking work. */
  public record Dependencies(TrialBackend backend, PlanProposer proposer, Executor blocking) {}

  public static Behavior<Command> create(String searchId, Dependencies deps) {
    return Behaviors.setup(ctx -> new SearchCoordinator(searchId, ctx, deps));
  }

  /** Short enough to notice a returned journal within seconds; the failures themselves go to the log file. */
  static final BackoffSupervisorStrategy JOURNAL_BACKOFF =
      SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0.2)
          .withLogLevel(org.slf4j.event.Level.WARN);

  private final String searchId;
  private final ActorContext<Command> ctx;
  private final Dependencies deps;
  // Transient, rebuilt after every restart: who works, and on what.
  private final Set<ActorRef<GpuWorker.Command>> workers = new LinkedHashSet<>();
  private final Map<Integer, ActorRef<GpuWorker.Command>> inFlight = new HashMap<>();
  private ActorRef<GpuWorker.TrialOutcome> outcomeAdapter;
  private boolean segmenting;
  private boolean exporting;

  private SearchCoordinator(String searchId, ActorContext<Command> ctx, Dependencies deps) {
    // A journal failure (persist or recovery) restarts the coordinator after a backoff: it
    // replays the journal, so nothing half-recorded survives, and stashes what arrives meanwhile.
    super(PersistenceId.of(TYPE_KEY.name(), searchId), JOURNAL_BACKOFF);
    this.searchId = searchId;
    this.ctx = ctx;
    this.deps = deps;
  }

  @Override
  public SearchState emptyState() {
    return SearchState.empty(searchId);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<SearchState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::resume)
        .build();
  }

  @Override
  public EventHandler<SearchState, SearchEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SearchState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, SearchEvent, SearchState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(GetState.class, (state, c) -> Effect().reply(c.replyTo(), state))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(WorkersChanged.class, this::onWorkersChanged)
        .onCommand(WorkerTerminated.class, this::onWorkerTerminated)
        .onCommand(Segmented.class, this::onSegmented)
        .onCommand(TrialAnswered.class, this::onAnswer)
        .onCommand(Dispatch.class, (state, d) -> dispatch(state))
        .onCommand(Exported.class, this::onExported)
        .build();
  }

  private ReplyEffect<SearchEvent, SearchState> onStart(SearchState state, Start start) {
    long seqNr = lastSequenceNumber(ctx);
    if (state.phase() == Phase.NEW) {
      return Effect()
          .persist(new SearchStarted(searchId, start.spec(), System.currentTimeMillis()))
          .thenRun(this::segmentIfNeeded)
          .thenReply(start.replyTo(), s -> new StartReply(true, seqNr, null));
    }
    if (!state.spec().equals(start.spec())) {
      return Effect().reply(start.replyTo(), new StartReply(false, seqNr,
          "search '" + searchId + "' exists with a different spec; change the id to start a new search"));
    }
    if (state.phase() == Phase.CANCELLED || state.phase() == Phase.FAILED) {
      return Effect().reply(start.replyTo(), new StartReply(false, seqNr,
          "search '" + searchId + "' is " + state.phase().name().toLowerCase()
              + (state.failure() == null ? "" : " (" + state.failure() + ")") + "; use another id to search again"));
    }
    return Effect().reply(start.replyTo(), new StartReply(true, seqNr, null));
  }

  private ReplyEffect<SearchEvent, SearchState> onCancel(SearchState state, Cancel cancel) {
    if (state.phase() != Phase.RUNNING) {
      return Effect().reply(cancel.replyTo(), state);
    }
    inFlight.clear();
    return Effect().persist(new SearchCancelled(searchId)).thenReply(cancel.replyTo(), s -> s);
  }

  private ReplyEffect<SearchEvent, SearchState> onWorkersChanged(SearchState state, WorkersChanged changed) {
    for (ActorRef<GpuWorker.Command> w : changed.workers()) {
      if (workers.add(w)) {
        ctx.watchWith(w, new WorkerTerminated(w));
      }
    }
    workers.retainAll(changed.workers());
    return dispatch(state);
  }

  private ReplyEffect<SearchEvent, SearchState> onWorkerTerminated(SearchState state, WorkerTerminated dead) {
    workers.remove(dead.worker());
    List<SearchEvent> failures = new ArrayList<>();
    inFlight.entrySet().removeIf(e -> {
      if (e.getValue().equals(dead.worker())) {
        Trial t = state.trials().get(e.getKey());
        if (t != null && t.outcome() == Outcome.PROPOSED) {
          failures.add(new TrialFailed(searchId, t.id(), t.failedAttempts() + 1, dead.worker().path().name(), "worker terminated"));
        }
        return true;
      }
      return false;
    });
    return failures.isEmpty() ? dispatch(state) : persistThenDispatch(failures);
  }

  private ReplyEffect<SearchEvent, SearchState> onSegmented(SearchState state, Segmented segmented) {
    segmenting = false;
    if (state.phase() != Phase.RUNNING || state.segmentation() != null) {
      return Effect().noReply();
    }
    SearchEvent event = segmented.error() == null
        ? new SegmentationDecided(searchId, segmented.segmentation())
        : new SearchFailed(searchId, "segmentation failed: " + segmented.error());
    return persistThenDispatch(List.of(event));
  }

  private ReplyEffect<SearchEvent, SearchState> onAnswer(SearchState state, TrialAnswered message) {
    GpuWorker.TrialOutcome outcome = message.outcome();
    inFlight.remove(outcome.trial());
    if (outcome.rescore()) {
      return onRescored(state, outcome);
    }
    Trial trial = state.trials().get(outcome.trial());
    if (state.phase() != Phase.RUNNING || trial == null || trial.outcome() != Outcome.PROPOSED) {
      return dispatch(state); // a late or duplicate answer: the trial is settled already
    }
    SearchEvent event = outcome instanceof GpuWorker.TrialSucceeded ok
        ? new TrialCompleted(searchId, ok.trial(), trial.plan(), ok.losses(), ok.metrics(), ok.cost(), ok.worker(), ok.millis())
        : new TrialFailed(searchId, trial.id(), trial.failedAttempts() + 1, outcome.worker(), ((GpuWorker.TrialError) outcome).reason());
    if (event instanceof TrialFailed failed) {
      ctx.getLog().warn("Search {} trial {} failed on {} (attempt {}): {}", searchId, failed.trial(), failed.worker(),
          failed.attempt(), failed.reason());
    }
    return persistThenDispatch(List.of(event));
  }

  /** A whole-split score of one of the best trials; a failed one is recorded too and never wins. */
  private ReplyEffect<SearchEvent, SearchState> onRescored(SearchState state, GpuWorker.TrialOutcome outcome) {
    boolean wanted = state.phase() == Phase.RUNNING && state.budgetDone()
        && state.toRescore().stream().anyMatch(t -> t.id() == outcome.trial());
    if (!wanted) {
      return dispatch(state); // late or duplicate
    }
    SearchEvent event = outcome instanceof GpuWorker.TrialSucceeded ok
        ? new TrialRescored(searchId, ok.trial(), ok.losses(), ok.metrics(), ok.cost(), ok.worker(), ok.millis(), null)
        : new TrialRescored(searchId, outcome.trial(), null, null, null, outcome.worker(), 0,
            ((GpuWorker.TrialError) outcome).reason());
    return persistThenDispatch(List.of(event));
  }

  private ReplyEffect<SearchEvent, SearchState> onExported(SearchState state, Exported exported) {
    exporting = false;
    if (exported.error() != null) {
      ctx.getLog().error("Export of search {} failed: {}", searchId, exported.error());
      return Effect().persist(new SearchFailed(searchId, "export failed: " + exported.error())).thenNoReply();
    }
    TrialBackend.ExportResult r = exported.result();
    return Effect().persist(new ModelExported(searchId, r.dir(), r.sha256(), r.report())).thenNoReply();
  }

  private ReplyEffect<SearchEvent, SearchState> persistThenDispatch(List<SearchEvent> events) {
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(events).thenRun(this::afterPersist).thenNoReply();
  }

  /**
   * After recovery, the first start and every restart after a journal failure: forget what was
   * in flight (answers may have been lost while restarting), find the workers again, and go on
   * where the journal says the search stands.
   */
  private void resume(SearchState state) {
    inFlight.clear();
    workers.clear();
    segmenting = false;
    exporting = false;
    outcomeAdapter = ctx.messageAdapter(GpuWorker.TrialOutcome.class, TrialAnswered::new);
    ActorRef<Receptionist.Listing> listingAdapter =
        ctx.messageAdapter(Receptionist.Listing.class, l -> new WorkersChanged(l.getServiceInstances(GpuWorker.SERVICE_KEY)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(GpuWorker.SERVICE_KEY, listingAdapter));
    if (state.phase() == Phase.RUNNING && state.trials().size() > 0) {
      ctx.getLog().info("Search {} resumed: {} trials completed, {} pending", searchId,
          state.count(Outcome.COMPLETED), state.pending().size());
    }
    segmentIfNeeded(state);
    exportIfNeeded(state);
  }

  private void afterPersist(SearchState state) {
    ctx.getSelf().tell(new Dispatch());
    exportIfNeeded(state);
  }

  private void segmentIfNeeded(SearchState state) {
    if (state.phase() != Phase.RUNNING || state.segmentation() != null || segmenting) {
      return;
    }
    segmenting = true;
    ctx.ask(
        Segmenter.Result.class,
        segmenter(),
        Duration.ofMinutes(30),
        replyTo -> new Segmenter.Segment(state.spec(), replyTo),
        (result, failure) -> result instanceof Segmenter.Segmented ok
            ? new Segmented(ok.segmentation(), null)
            : new Segmented(null, failure != null ? GpuWorker.describe(failure) : ((Segmenter.Failed) result).reason()));
  }

  /** The child is spawned on demand: a restart after a journal failure stops the children. */
  private ActorRef<Segmenter.Command> segmenter() {
    return ctx.getChild("segmenter")
        .map(child -> child.<Segmenter.Command>unsafeUpcast())
        .orElseGet(() -> ctx.spawn(Segmenter.create(deps.backend()), "segmenter",
            DispatcherSelector.fromConfig(Segmenter.DISPATCHER)));
  }

  private void exportIfNeeded(SearchState state) {
    if (state.phase() != Phase.COMPLETED || state.export() != null || exporting || state.bestTrial() == null) {
      return;
    }
    exporting = true;
    // the export holds a resident model of its own: the workers' sessions of this search go first
    workers.forEach(w -> w.tell(new GpuWorker.ReleaseSession(searchId)));
    SearchOutcome outcome = SearchOutcomes.of(state);
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(() -> deps.backend().export(outcome), deps.blocking()),
        (result, failure) -> failure == null ? new Exported(result, null) : new Exported(null, GpuWorker.describe(unwrap(failure))));
  }

  /**
   * Hands work to idle workers: first unfinished trials (after a restart or a failed attempt,
   * preferring another worker than the one that failed), then new proposals.
   */
  private ReplyEffect<SearchEvent, SearchState> dispatch(SearchState state) {
    if (state.phase() != Phase.RUNNING || state.segmentation() == null) {
      return Effect().noReply();
    }
    if (state.tooManyFailures()) {
      return Effect().persist(new SearchFailed(searchId,
          state.count(Outcome.FAILED) + " trials failed (budget " + state.failureBudget() + "); last: " + lastError(state)))
          .thenNoReply();
    }
    List<ActorRef<GpuWorker.Command>> idle = new ArrayList<>(workers);
    idle.removeAll(inFlight.values());
    if (state.budgetDone()) {
      List<Trial> rescore = state.toRescore();
      if (rescore.isEmpty()) {
        return Effect().persist(new SearchCompleted(searchId, state.finalBest())).thenRun(this::exportIfNeeded).thenNoReply();
      }
      return dispatchRescores(state, rescore, idle);
    }
    Map<Integer, ActorRef<GpuWorker.Command>> assignments =
        WorkerAssignments.retries(state.pending(), idle, inFlight.keySet(), w -> w.path().name());
    List<SearchEvent> proposals = new ArrayList<>();
    SearchState next = state;
    while (!idle.isEmpty() && next.toPropose() > 0) {
      int id = next.nextTrialId();
      TrialProposed proposed = new TrialProposed(searchId, id, deps.proposer().propose(next, id));
      next = next.apply(proposed);
      proposals.add(proposed);
      assignments.put(id, idle.remove(0));
    }
    if (assignments.isEmpty()) {
      return Effect().noReply();
    }
    inFlight.putAll(assignments);
    return Effect().persist(proposals).thenRun(s -> send(s, assignments, false)).thenNoReply();
  }

  /** Final re-scoring: the best trials again, on the whole val split, one per idle worker. Nothing to persist until answers come. */
  private ReplyEffect<SearchEvent, SearchState> dispatchRescores(
      SearchState state, List<Trial> rescore, List<ActorRef<GpuWorker.Command>> idle) {
    Map<Integer, ActorRef<GpuWorker.Command>> assignments = WorkerAssignments.inOrder(rescore, idle, inFlight.keySet());
    if (assignments.isEmpty()) {
      return Effect().noReply();
    }
    if (state.rescored().isEmpty() && inFlight.isEmpty()) {
      ctx.getLog().info("Search {}: budget done, re-scoring the {} best trials on the whole validation split",
          searchId, state.rescoreCandidates().size());
    }
    inFlight.putAll(assignments);
    send(state, assignments, true);
    return Effect().noReply();
  }

  private void send(SearchState state, Map<Integer, ActorRef<GpuWorker.Command>> assignments, boolean rescore) {
    assignments.forEach((id, worker) -> worker.tell(new GpuWorker.RunTrial(
        searchId, state.spec(), state.segmentation(), id, state.trials().get(id).plan(), rescore, outcomeAdapter)));
  }

  private static String lastError(SearchState state) {
    return state.trials().values().stream()
        .filter(t -> t.lastError() != null)
        .reduce((a, b) -> b)
        .map(Trial::lastError)
        .orElse("none");
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
