package io.automerge.actors;

import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.trial.TrialBackend;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Cuts a search's base model into blocks (one traced forward pass). Runs on the blocking
 * dispatcher: tracing is native work. Local only, spawned by its coordinator.
 */
public final class Segmenter {
  private Segmenter() {}

  public static final String DISPATCHER = "automerge-blocking-dispatcher";

  public sealed interface Command {}

  public record Segment(SearchSpec spec, ActorRef<Result> replyTo) implements Command {}

  public sealed interface Result {}

  public record Segmented(Segmentation segmentation) implements Result {}

  public record Failed(String reason) implements Result {}

  public static Behavior<Command> create(TrialBackend backend) {
    return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
        .onMessage(Segment.class, s -> {
          try {
            s.replyTo().tell(new Segmented(backend.segment(s.spec())));
          } catch (RuntimeException e) {
            ctx.getLog().warn("segmentation of search {} failed", s.spec().id(), e);
            s.replyTo().tell(new Failed(GpuWorker.describe(e)));
          }
          return Behaviors.same();
        })
        .build());
  }
}
