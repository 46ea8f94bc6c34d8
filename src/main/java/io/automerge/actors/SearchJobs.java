package io.automerge.actors;

import io.automerge.actors.SearchProtocol.ExportFailed;
import io.automerge.actors.SearchProtocol.Exported;
import io.automerge.actors.SearchProtocol.SegmentationFailed;
import io.automerge.actors.SearchProtocol.Segmented;
import io.automerge.actors.SearchState.Phase;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A coordinator's two long jobs off its thread, each started at most once at a time: segmenting
 * the base model (a child actor, asked with a timeout) and exporting the best trial (blocking, on
 * the node's blocking executor). Their results come back to the coordinator as commands. The
 * flags are transient: a restart clears them and the journal says what is still to do.
 */
final class SearchJobs {
  private final String searchId;
  private final ActorContext<SearchProtocol.Command> ctx;
  private final SearchCoordinator.Dependencies deps;
  private boolean segmenting;
  private boolean exporting;

  SearchJobs(String searchId, ActorContext<SearchProtocol.Command> ctx, SearchCoordinator.Dependencies deps) {
    this.searchId = searchId;
    this.ctx = ctx;
    this.deps = deps;
  }

  /** After a restart: whatever ran was stopped with the coordinator's children or lost its answer. */
  void reset() {
    segmenting = false;
    exporting = false;
  }

  void segmented() {
    segmenting = false;
  }

  void exportEnded() {
    exporting = false;
  }

  void segmentIfNeeded(SearchState state) {
    if (state.phase() != Phase.RUNNING || state.segmentation() != null || segmenting) {
      return;
    }
    segmenting = true;
    ctx.ask(
        Segmenter.Result.class,
        segmenter(),
        deps.settings().segmentTimeout(),
        replyTo -> new Segmenter.Segment(state.spec(), replyTo),
        (result, failure) -> result instanceof Segmenter.Segmented ok
            ? new Segmented(ok.segmentation())
            : new SegmentationFailed(failure != null ? GpuWorker.describe(failure) : ((Segmenter.Failed) result).reason()));
  }

  /** The child is spawned on demand: a restart after a journal failure stops the children. */
  private ActorRef<Segmenter.Command> segmenter() {
    return ctx.getChild("segmenter")
        .map(child -> child.<Segmenter.Command>unsafeUpcast())
        .orElseGet(() -> ctx.spawn(Segmenter.create(deps.backend()), "segmenter",
            DispatcherSelector.fromConfig(Segmenter.DISPATCHER)));
  }

  /** Workers in {@code pool} release their sessions of this search first: the export holds a resident model of its own. */
  void exportIfNeeded(SearchState state, WorkerPool pool) {
    if (state.phase() != Phase.COMPLETED || state.export() != null || exporting || state.bestTrial() == null) {
      return;
    }
    exporting = true;
    pool.forEachWorker(w -> w.tell(new GpuWorker.ReleaseSession(searchId)));
    var outcome = SearchOutcomes.of(state);
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(() -> deps.backend().export(outcome), deps.blocking()),
        (result, failure) -> {
          if (failure == null) {
            return new Exported(result);
          }
          ctx.getLog().warn("Export of search {} failed", searchId, unwrap(failure)); // the cause, to the log file
          return new ExportFailed(GpuWorker.describe(unwrap(failure)));
        });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
