package io.automerge.actors;

import io.automerge.actors.SearchEvent.*;
import io.automerge.actors.SearchProtocol.*;
import io.automerge.actors.SearchState.Outcome;
import io.automerge.actors.SearchState.Phase;
import io.automerge.actors.SearchState.Trial;
import io.automerge.export.ExportReport;
import io.automerge.trial.TrialBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.*;

/**
 * One search, event-sourced under {@code Search|<id>}: owns spec, strategy, segmentation, trials
 * and (through the events) the optimizer. Commands decide ({@link SearchDecisions}), events record
 * the decisions, the state only folds them. Keeps one trial in flight per known worker, retries a
 * failed trial on another worker up to {@code automerge.search.max-attempts}, and re-dispatches
 * unfinished trials after recovery. Its messages are {@link SearchProtocol}'s.
 */
public final class SearchCoordinator extends EventSourcedBehaviorWithEnforcedReplies<SearchProtocol.Command, SearchEvent, SearchState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Search");

  /** What the coordinator needs from its node: the backend, an executor for blocking work, and the settings. */
  public record Dependencies(TrialBackend backend, Executor blocking, SearchSettings settings) {}

  /**
   * How a sharded coordinator leaves its shard once its search is settled: with remember-entities a
   * search runs until then wherever its shard lives, and passivating is what makes the shard forget
   * it (else every node start or shard move would start every finished search again).
   */
  public record Passivation(ActorRef<ClusterSharding.ShardCommand> shard, Duration after) {}

  public static Behavior<Command> create(String searchId, Dependencies deps) {
    return create(searchId, deps, null);
  }

  /** A coordinator in a shard; {@code passivation} null: it stays until stopped. */
  public static Behavior<Command> create(String searchId, Dependencies deps, Passivation passivation) {
    return Behaviors.setup(ctx -> new SearchCoordinator(searchId, ctx, deps, passivation));
  }

  /** Short enough to notice a returned journal within seconds; the failures themselves go to the log file. */
  static BackoffSupervisorStrategy journalBackoff(SearchSettings settings) {
    return SupervisorStrategy.restartWithBackoff(settings.journalBackoffMin(), settings.journalBackoffMax(), 0.2)
        .withLogLevel(org.slf4j.event.Level.WARN);
  }

  private final String searchId;
  private final ActorContext<Command> ctx;
  private final Dependencies deps;
  private final SearchSettings settings;
  private final Passivation passivation;
  // Transient, rebuilt after every restart: who works, on what, and who has the search loaded.
  private final WorkerPool pool = new WorkerPool();
  private ActorRef<GpuWorker.TrialOutcome> outcomeAdapter;
  private final SearchJobs jobs;

  private SearchCoordinator(String searchId, ActorContext<Command> ctx, Dependencies deps, Passivation passivation) {
    // A journal failure (persist or recovery) restarts the coordinator after a backoff: it
    // replays the journal, so nothing half-recorded survives, and stashes what arrives meanwhile.
    super(PersistenceId.of(TYPE_KEY.name(), searchId), journalBackoff(deps.settings()));
    this.searchId = searchId;
    this.ctx = ctx;
    this.deps = deps;
    this.settings = deps.settings();
    this.passivation = passivation;
    this.jobs = new SearchJobs(searchId, ctx, deps);
  }

  @Override
  public SearchState emptyState() {
    return SearchState.empty(searchId);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
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
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forState(s -> s.phase() == Phase.NEW)
        .onCommand(Start.class, this::startNew);
    builder.forState(s -> s.phase() == Phase.RUNNING)
        .onCommand(Start.class, this::resumeRunning)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(Segmented.class, this::onSegmented)
        .onCommand(SegmentationFailed.class, (state, failed) ->
            record(state, List.of(new SearchFailed(searchId, "segmentation failed: " + failed.reason()))))
        .onCommand(TrialAnswered.class, this::onAnswer)
        .onCommand(WorkersChanged.class, (state, changed) -> {
          pool.track(changed.workers(), ctx);
          return dispatch(state);
        })
        .onCommand(WorkerTerminated.class, this::onWorkerLost)
        .onCommand(Dispatch.class, (state, d) -> dispatch(state));
    builder.forState(s -> s.phase() == Phase.COMPLETED)
        .onCommand(Start.class, (state, start) -> sameSpec(state, start)
            ? Effect().reply(start.replyTo(), new Started(lastSequenceNumber(ctx), state.strategyOrLegacy()))
            : refuseOtherSpec(start))
        .onCommand(Exported.class, this::onExported)
        .onCommand(ExportFailed.class, this::onExportFailed);
    builder.forState(s -> s.phase() == Phase.FAILED || s.phase() == Phase.CANCELLED)
        .onCommand(Start.class, (state, start) -> sameSpec(state, start)
            ? Effect().reply(start.replyTo(), new Refused("search '" + searchId + "' is " + state.phase().name().toLowerCase()
                + (state.failure() == null ? "" : " (" + state.failure() + ")") + "; use another id to search again"))
            : refuseOtherSpec(start));
    // Every phase: questions, the worker pool's bookkeeping, and messages that came too late to matter.
    builder.forAnyState()
        .onCommand(GetState.class, (state, c) -> Effect().reply(c.replyTo(), state))
        .onCommand(Cancel.class, (state, c) -> Effect().reply(c.replyTo(), state))
        .onCommand(WorkersChanged.class, (state, changed) -> {
          pool.track(changed.workers(), ctx);
          return Effect().noReply();
        })
        .onCommand(WorkerTerminated.class, (state, dead) -> {
          pool.forget(dead.worker());
          return Effect().noReply();
        })
        .onCommand(PassivateSettled.class, (state, p) -> {
          if (state.settled() && passivation != null) {
            passivation.shard().tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
          }
          return Effect().noReply();
        })
        .onCommand(Command.class, (state, late) -> Effect().noReply());
    return builder.build();
  }

  // --- NEW

  private ReplyEffect<SearchEvent, SearchState> startNew(SearchState state, Start start) {
    long seqNr = lastSequenceNumber(ctx);
    return Effect()
        .persist(new SearchStarted(searchId, start.spec(), start.strategy(), System.currentTimeMillis()))
        .thenRun(jobs::segmentIfNeeded)
        .thenReply(start.replyTo(), s -> new Started(seqNr, s.strategy()));
  }

  // --- RUNNING

  /**
   * A running search keeps its recorded strategy whatever this start asks for; a journal from
   * before strategies were recorded takes this start's, which is what it ran with until now.
   */
  private ReplyEffect<SearchEvent, SearchState> resumeRunning(SearchState state, Start start) {
    if (!sameSpec(state, start)) {
      return refuseOtherSpec(start);
    }
    long seqNr = lastSequenceNumber(ctx);
    if (state.strategy() == null) {
      return Effect().persist(new StrategyRecorded(searchId, start.strategy()))
          .thenReply(start.replyTo(), s -> new Started(seqNr, s.strategy()));
    }
    return Effect().reply(start.replyTo(), new Started(seqNr, state.strategy()));
  }

  private ReplyEffect<SearchEvent, SearchState> cancel(SearchState state, Cancel cancel) {
    pool.dropInFlight();
    return Effect().persist(withStrategy(state, List.of(new SearchCancelled(searchId))))
        .thenRun(this::passivateWhenSettled)
        .thenReply(cancel.replyTo(), s -> s);
  }

  private ReplyEffect<SearchEvent, SearchState> onSegmented(SearchState state, Segmented segmented) {
    jobs.segmented();
    if (state.segmentation() != null) {
      return Effect().noReply();
    }
    return record(state, List.of(new SegmentationDecided(searchId, segmented.segmentation())));
  }

  private ReplyEffect<SearchEvent, SearchState> onAnswer(SearchState state, TrialAnswered message) {
    GpuWorker.TrialOutcome outcome = message.outcome();
    ActorRef<GpuWorker.Command> worker = pool.finished(outcome.trial());
    if (outcome instanceof GpuWorker.SearchNotLoaded) {
      if (worker != null) {
        pool.unloaded(worker); // the next dispatch loads it again before the trial
      }
      return dispatch(state);
    }
    if (outcome.rescore()) {
      return onRescored(state, outcome);
    }
    Trial trial = state.trials().get(outcome.trial());
    if (trial == null || trial.outcome() != Outcome.PROPOSED) {
      return dispatch(state); // a late or duplicate answer: the trial is settled already
    }
    if (outcome instanceof GpuWorker.TrialSucceeded ok) {
      return record(state, List.of(
          new TrialCompleted(searchId, ok.trial(), trial.plan(), ok.losses(), ok.metrics(), ok.cost(), ok.worker(), ok.millis(),
              ok.taskCosts(), ok.samples())));
    }
    GpuWorker.TrialError error = (GpuWorker.TrialError) outcome;
    return record(state, failed(trial, error.worker(), error.reason()));
  }

  /** A whole-split score of one of the best trials; a failed one is recorded too and never wins. */
  private ReplyEffect<SearchEvent, SearchState> onRescored(SearchState state, GpuWorker.TrialOutcome outcome) {
    boolean wanted = state.budgetDone() && state.toRescore().stream().anyMatch(t -> t.id() == outcome.trial());
    if (!wanted) {
      return dispatch(state); // late or duplicate
    }
    SearchEvent event = outcome instanceof GpuWorker.TrialSucceeded ok
        ? new TrialRescored(searchId, ok.trial(), ok.losses(), ok.metrics(), ok.cost(), ok.worker(), ok.millis(), null, ok.taskCosts(), ok.samples())
        : new TrialRescored(searchId, outcome.trial(), null, null, null, outcome.worker(), 0,
            ((GpuWorker.TrialError) outcome).reason(), null, null);
    return record(state, List.of(event));
  }

  /** A worker gone (its node died, or it stopped): its trial in flight failed there. */
  private ReplyEffect<SearchEvent, SearchState> onWorkerLost(SearchState state, WorkerTerminated dead) {
    pool.forget(dead.worker());
    List<SearchEvent> events = new ArrayList<>();
    for (int id : pool.dropTrialsOf(dead.worker())) {
      Trial t = state.trials().get(id);
      if (t != null && t.outcome() == Outcome.PROPOSED) {
        events.addAll(failed(t, dead.worker().path().name(), "worker terminated"));
      }
    }
    return events.isEmpty() ? dispatch(state) : record(state, events);
  }

  /** The failed attempt, and the decision whether it was the last: logged with its cause, then recorded. */
  private List<SearchEvent> failed(Trial trial, String worker, String reason) {
    List<SearchEvent> events = SearchDecisions.afterFailure(searchId, trial, worker, reason, settings.maxAttempts());
    boolean abandoned = events.stream().anyMatch(e -> e instanceof TrialAbandoned);
    ctx.getLog().warn("Search {} trial {} failed on {} (attempt {} of {}{}): {}", searchId, trial.id(), worker,
        trial.failedAttempts() + 1, settings.maxAttempts(), abandoned ? ", abandoned" : ", retrying elsewhere", reason);
    return events;
  }

  /** Hands work to idle workers as {@link SearchDecisions#dispatch} decides. */
  private ReplyEffect<SearchEvent, SearchState> dispatch(SearchState state) {
    SearchDecisions.Step<ActorRef<GpuWorker.Command>> step = SearchDecisions.dispatch(
        state, pool.idle(), pool.running(), w -> w.path().name(), PlanProposer.of(state.strategyOrLegacy()), settings);
    if (step instanceof SearchDecisions.Record<ActorRef<GpuWorker.Command>> decided) {
      return record(state, decided.events());
    }
    if (step instanceof SearchDecisions.Rescore<ActorRef<GpuWorker.Command>> rescore) {
      if (state.rescored().isEmpty() && pool.running().isEmpty()) {
        ctx.getLog().info("Search {}: budget done, re-scoring the {} best trials on the whole validation split",
            searchId, state.rescoreCandidates().size());
      }
      pool.assign(rescore.assignments());
      send(state, rescore.assignments(), true);
      return Effect().noReply();
    }
    if (step instanceof SearchDecisions.Run<ActorRef<GpuWorker.Command>> run) {
      pool.assign(run.assignments());
      if (run.proposals().isEmpty()) {
        send(state, run.assignments(), false);
        return Effect().noReply();
      }
      return Effect().persist(withStrategy(state, new ArrayList<>(run.proposals())))
          .thenRun(s -> send(s, run.assignments(), false))
          .thenNoReply();
    }
    return Effect().noReply();
  }

  private void send(SearchState state, Map<Integer, ActorRef<GpuWorker.Command>> assignments, boolean rescore) {
    pool.send(searchId, state, assignments, rescore, outcomeAdapter);
  }

  // --- COMPLETED

  private ReplyEffect<SearchEvent, SearchState> onExported(SearchState state, Exported exported) {
    jobs.exportEnded();
    if (state.export() != null) {
      return Effect().noReply();
    }
    TrialBackend.ExportResult r = exported.result();
    return Effect().persist(new ModelExported(searchId, r.dir(), r.sha256(), ExportReport.of(r.report())))
        .thenRun(this::passivateWhenSettled)
        .thenNoReply();
  }

  private ReplyEffect<SearchEvent, SearchState> onExportFailed(SearchState state, ExportFailed failed) {
    jobs.exportEnded();
    ctx.getLog().error("Export of search {} failed: {}", searchId, failed.reason());
    return Effect().persist(new SearchFailed(searchId, "export failed: " + failed.reason()))
        .thenRun(this::passivateWhenSettled)
        .thenNoReply();
  }

  // --- shared

  private static boolean sameSpec(SearchState state, Start start) {
    return state.spec().equals(start.spec());
  }

  private ReplyEffect<SearchEvent, SearchState> refuseOtherSpec(Start start) {
    return Effect().reply(start.replyTo(),
        new Refused("search '" + searchId + "' exists with a different spec; change the id to start a new search"));
  }

  /** Persists decisions, then looks for more work (and exports once the search completed). */
  private ReplyEffect<SearchEvent, SearchState> record(SearchState state, List<SearchEvent> events) {
    return Effect().persist(withStrategy(state, events)).thenRun(this::afterPersist).thenNoReply();
  }

  /**
   * A running search from a journal that predates recorded strategies records the one it runs
   * with before anything else, so every event after it folds as today's coordinator decided it.
   */
  private List<SearchEvent> withStrategy(SearchState state, List<SearchEvent> events) {
    if (state.phase() != Phase.RUNNING || state.strategy() != null) {
      return events;
    }
    List<SearchEvent> all = new ArrayList<>();
    all.add(new StrategyRecorded(searchId, state.strategyOrLegacy()));
    all.addAll(events);
    return all;
  }

  /**
   * After recovery, the first start and every restart after a journal failure: forget what was
   * in flight (answers may have been lost while restarting), find the workers again, and go on
   * where the journal says the search stands.
   */
  private void resume(SearchState state) {
    pool.clear();
    jobs.reset();
    outcomeAdapter = ctx.messageAdapter(GpuWorker.TrialOutcome.class, TrialAnswered::new);
    pool.subscribe(ctx);
    if (state.phase() == Phase.RUNNING && state.trials().size() > 0) {
      ctx.getLog().info("Search {} resumed: {} trials completed, {} pending", searchId,
          state.count(Outcome.COMPLETED), state.pending().size());
    }
    if (!state.settled() && !ctx.getSystem().settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      // Which node of the cluster runs the search (and exports it): its operator sees it here.
      ctx.getLog().info("search {} is coordinated on this node ({})", searchId, hostPort(ctx.getSystem().address()));
    }
    jobs.segmentIfNeeded(state);
    jobs.exportIfNeeded(state, pool);
    passivateWhenSettled(state);
  }

  private void afterPersist(SearchState state) {
    ctx.getSelf().tell(new Dispatch());
    jobs.exportIfNeeded(state, pool);
    passivateWhenSettled(state);
  }

  /** Settled: answer questions a little longer (a client reads the final state), then leave the shard. */
  private void passivateWhenSettled(SearchState state) {
    if (state.settled() && passivation != null) {
      ctx.scheduleOnce(passivation.after(), ctx.getSelf(), new PassivateSettled());
    }
  }

  static String hostPort(org.apache.pekko.actor.Address address) {
    return address.getHost().orElse("local") + ":" + address.getPort().map(String::valueOf).orElse("0");
  }
}
