package io.automerge.actors;

import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.automerge.eval.Objective;
import io.automerge.eval.TaskScore;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import io.automerge.trial.TrialBackend;
import io.automerge.util.NativeMemory;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per device. Keeps one model of a search resident (base and sources stay memory-mapped), merges
 * each trial's changed blocks into it in place
 * and has its Evaluator measure the losses. Runs on a pinned dispatcher: DJL calls block.
 */
public final class GpuWorker extends AbstractBehavior<GpuWorker.Command> {

  /** Every worker in the cluster registers under this key; coordinators find them here only. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "automerge-workers");
  public static final String DISPATCHER = "automerge-worker-dispatcher";

  public sealed interface Command extends CborSerializable {}

  /**
   * What a worker needs to run a search's trials, sent once per worker (and again only when the
   * worker answers {@link SearchNotLoaded}). The resident model is opened at the first trial.
   */
  public record LoadSearch(String search, SearchSpec spec, Segmentation segmentation) implements Command {}

  /**
   * Merge {@code plan} and score it, for a search loaded before. With {@code rescore} the scores are
   * taken on the whole val split, against the sources' whole-split scores (the final re-scoring of
   * the best trials). {@code samples}: score only the first that many of each task's validation
   * sample (a multi-fidelity rung); null: all of it.
   */
  public record RunTrial(String search, int trial, TrialPlan plan, boolean rescore, ActorRef<TrialOutcome> replyTo, Integer samples)
      implements Command {
    public RunTrial(String search, int trial, TrialPlan plan, boolean rescore, ActorRef<TrialOutcome> replyTo) {
      this(search, trial, plan, rescore, replyTo, null);
    }
  }

  private record Evaluated(RunTrial request, SearchSpec spec, Evaluator.Result result, long startNanos) implements Command {}

  /** The search is done with its trials (its export starts): free the session's model if it is this search's. */
  public record ReleaseSession(String search) implements Command {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(TrialSucceeded.class), @JsonSubTypes.Type(TrialError.class), @JsonSubTypes.Type(SearchNotLoaded.class)
  })
  public sealed interface TrialOutcome extends CborSerializable {
    String search();

    int trial();

    String worker();

    /** Whether this answers a re-scoring request. */
    boolean rescore();
  }

  /** @param samples validation samples scored, all tasks together */
  public record TrialSucceeded(
      String search, int trial, String worker, Map<String, Double> losses, Map<String, Map<String, Double>> metrics,
      double cost, long millis, boolean rescore, Map<String, Double> taskCosts, long samples)
      implements TrialOutcome {}

  public record TrialError(String search, int trial, String worker, String reason, boolean rescore) implements TrialOutcome {}

  /** The worker does not know the search (it restarted, or forgot it for newer ones): load it and ask again. Not a failure. */
  public record SearchNotLoaded(String search, int trial, String worker, boolean rescore) implements TrialOutcome {}

  public static Behavior<Command> create(String workerId, Device device, TrialBackend backend) {
    return Behaviors.withStash(
        64,
        stash -> Behaviors.setup(ctx -> {
          ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
          Config config = ctx.getSystem().settings().config();
          return new GpuWorker(ctx, stash, workerId, device, backend, SearchSettings.from(config).evaluateTimeout(),
              config.getInt("automerge.worker.remembered-searches"));
        }));
  }

  private final StashBuffer<Command> stash;
  private final String workerId;
  private final Device device;
  private final TrialBackend backend;
  private final ActorRef<Evaluator.Command> evaluator;
  private final Duration evaluateTimeout;
  /** Searches loaded here, least recently used first; each is small (spec and block names). */
  private final Map<String, LoadSearch> loaded;
  private String openSearch;
  private TrialBackend.Session session;
  private boolean busy;

  private GpuWorker(ActorContext<Command> ctx, StashBuffer<Command> stash, String workerId, Device device, TrialBackend backend,
      Duration evaluateTimeout, int rememberedSearches) {
    super(ctx);
    this.stash = stash;
    this.workerId = workerId;
    this.device = device;
    this.backend = backend;
    this.evaluateTimeout = evaluateTimeout;
    this.loaded = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, LoadSearch> eldest) {
        return size() > Math.max(1, rememberedSearches);
      }
    };
    this.evaluator = ctx.spawn(Evaluator.create(), "evaluator", DispatcherSelector.fromConfig(DISPATCHER));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LoadSearch.class, this::onLoad)
        .onMessage(RunTrial.class, this::onRunTrial)
        .onMessage(Evaluated.class, this::onEvaluated)
        .onMessage(ReleaseSession.class, this::onReleaseSession)
        .onSignal(PostStop.class, s -> closeSession())
        .build();
  }

  private Behavior<Command> onLoad(LoadSearch load) {
    LoadSearch before = loaded.put(load.search(), load);
    if (before != null && !before.equals(load) && load.search().equals(openSearch) && !busy) {
      closeSession(); // the same id with other data: reopen at the next trial
    }
    return this;
  }

  private Behavior<Command> onRunTrial(RunTrial run) {
    if (busy) {
      stash.stash(run);
      return this;
    }
    LoadSearch search = loaded.get(run.search());
    if (search == null) {
      run.replyTo().tell(new SearchNotLoaded(run.search(), run.trial(), workerId, run.rescore()));
      return this;
    }
    long start;
    try {
      if (!run.search().equals(openSearch)) {
        closeSession();
        getContext().getLog().info("{} loading search {} on {}", workerId, run.search(), device);
        session = backend.open(search.spec(), search.segmentation(), device);
        openSearch = run.search();
      }
      if (run.rescore()) {
        session.sourceScores(true); // measured once, before the merge takes the resident model
      } else if (run.samples() != null) {
        session.sourceScores(run.samples()); // likewise, once per rung
      }
      start = System.nanoTime(); // a trial's time is merge + evaluation, not the one-off loading
      session.apply(run.plan());
    } catch (RuntimeException e) {
      closeSession();
      getContext().getLog().warn("{}: trial {} of search {} failed", workerId, run.trial(), run.search(), e);
      run.replyTo().tell(new TrialError(run.search(), run.trial(), workerId, describe(e), run.rescore()));
      return this;
    }
    busy = true;
    getContext().ask(
        Evaluator.Result.class,
        evaluator,
        evaluateTimeout,
        replyTo -> new Evaluator.Evaluate(session, run.rescore(), run.samples(), replyTo),
        (result, failure) -> new Evaluated(run, search.spec(), failure == null ? result : new Evaluator.Failed(describe(failure)), start));
    return this;
  }

  private Behavior<Command> onEvaluated(Evaluated done) {
    busy = false;
    RunTrial run = done.request();
    long millis = (System.nanoTime() - done.startNanos()) / 1_000_000;
    if (done.result() instanceof Evaluator.Scores scores) {
      Map<String, TaskScore> merged = scores.scores();
      SearchSpec spec = done.spec();
      Map<String, TaskScore> sources = !run.rescore() && run.samples() != null
          ? session.sourceScores(run.samples()) : session.sourceScores(run.rescore());
      Objective.Score score = Objective.score(spec.scalarObjective(), merged, sources, spec.pdPenalty());
      run.replyTo().tell(score.failed()
          ? new TrialError(run.search(), run.trial(), workerId, score.reason(), run.rescore())
          : new TrialSucceeded(run.search(), run.trial(), workerId, TaskScore.losses(merged), TaskScore.metrics(merged),
              score.cost(), millis, run.rescore(), spec.pareto() ? score.taskCosts() : null,
              session.samplesScored(run.rescore(), run.samples())));
    } else {
      run.replyTo().tell(new TrialError(run.search(), run.trial(), workerId, ((Evaluator.Failed) done.result()).reason(),
          run.rescore()));
    }
    return stash.unstashAll(this);
  }

  private Behavior<Command> onReleaseSession(ReleaseSession release) {
    if (busy) {
      stash.stash(release); // after the trial in flight
      return this;
    }
    if (release.search().equals(openSearch)) {
      getContext().getLog().info("{} releasing search {}", workerId, release.search());
      closeSession();
    }
    return this;
  }

  private Behavior<Command> closeSession() {
    if (session != null) {
      session.close();
      session = null;
      openSearch = null;
      NativeMemory.trim(); // the resident model's pages go back to the OS, not to malloc's arenas
    }
    return this;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }
}
