package io.automerge.actors;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.trial.TrialBackend;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a {@link SearchCoordinator} understands: the public commands (start, cancel, ask for the
 * state) and their replies, then the messages it sends itself or receives from its workers and
 * its background jobs.
 */
public final class SearchProtocol {
  private SearchProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /**
   * Start or resume. {@code strategy} is how a new search proposes; a search that exists keeps
   * the one it recorded (the reply says which).
   */
  public record Start(SearchSpec spec, ProposalStrategy strategy, ActorRef<StartReply> replyTo) implements Command {
    public Start {
      strategy = strategy == null ? ProposalStrategy.bayesian() : strategy;
    }
  }

  public record Cancel(ActorRef<SearchState> replyTo) implements Command {}

  public record GetState(ActorRef<SearchState> replyTo) implements Command {}

  /** Reply to {@link Start}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(Started.class), @JsonSubTypes.Type(Refused.class)})
  public sealed interface StartReply extends CborSerializable {}

  /** Running (or done): its events start after {@code fromSequenceNr}; it proposes with {@code strategy}. */
  public record Started(long fromSequenceNr, ProposalStrategy strategy) implements StartReply {}

  /** The search cannot start under this id, and why. */
  public record Refused(String reason) implements StartReply {}

  record WorkersChanged(Set<ActorRef<GpuWorker.Command>> workers) implements Command {}

  record WorkerTerminated(ActorRef<GpuWorker.Command> worker) implements Command {}

  record TrialAnswered(GpuWorker.TrialOutcome outcome) implements Command {}

  /** Look for idle workers and work to give them (sent to self after each persist). */
  record Dispatch() implements Command {}

  record Segmented(Segmentation segmentation) implements Command {}

  record SegmentationFailed(String reason) implements Command {}

  record Exported(TrialBackend.ExportResult result) implements Command {}

  record ExportFailed(String reason) implements Command {}

  /** The search is settled and has lingered long enough: leave the shard (sent to self). */
  record PassivateSettled() implements Command {}
}
