package io.automerge.actors;

import io.automerge.eval.TaskScore;
import io.automerge.trial.TrialBackend;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Measures the per-task validation scores (loss, metrics) of a worker's resident model, on the worker's device. */
public final class Evaluator {
  private Evaluator() {}

  public sealed interface Command {}

  /** Local only: the session is the worker's in-process model, never serialized. */
  /** {@code samples}: only the first that many of each task's validation sample (null: all of it). */
  public record Evaluate(TrialBackend.Session session, boolean fullValidation, Integer samples, ActorRef<Result> replyTo)
      implements Command {}

  public sealed interface Result {}

  public record Scores(Map<String, TaskScore> scores) implements Result {}

  public record Failed(String reason) implements Result {}

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
        .onMessage(Evaluate.class, e -> {
          try {
            e.replyTo().tell(new Scores(!e.fullValidation() && e.samples() != null
                ? e.session().scores(e.samples()) : e.session().scores(e.fullValidation())));
          } catch (RuntimeException failure) {
            ctx.getLog().warn("evaluation failed", failure); // the cause, with its stack, goes to the log file
            e.replyTo().tell(new Failed(GpuWorker.describe(failure)));
          }
          return Behaviors.same();
        })
        .build());
  }
}
