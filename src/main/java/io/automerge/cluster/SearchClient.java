package io.automerge.cluster;

import io.automerge.actors.SearchProtocol;
import io.automerge.actors.SearchState;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Starts a search through its sharded coordinator and follows its state, wherever it runs. A
 * coordinator that does not answer (the journal is away and it restarts with backoff) is waited
 * for through the node's {@link JournalGuard}.
 */
public final class SearchClient {
  private final EntityRef<SearchProtocol.Command> coordinator;
  private final JournalGuard guard;
  /** How long one question waits (automerge.search.ask-timeout): a coordinator that answers at all answers within milliseconds. */
  private final Duration ask;
  /** A start may recover a long journal and create the tables first (automerge.search.start-timeout). */
  private final Duration startTimeout;

  public SearchClient(SearchNode node, String searchId) {
    this.coordinator = node.search(searchId);
    this.guard = node.journalGuard();
    var config = node.system().settings().config();
    this.ask = config.getDuration("automerge.search.ask-timeout");
    this.startTimeout = config.getDuration("automerge.search.start-timeout");
  }

  /**
   * Starts or resumes; the first call recovers the entity and may create the journal tables. A
   * search that exists keeps its recorded strategy: the reply says which it runs with.
   */
  public SearchProtocol.StartReply start(SearchSpec spec, ProposalStrategy strategy) throws InterruptedException {
    while (true) {
      Optional<SearchProtocol.StartReply> reply =
          await(coordinator.ask(r -> new SearchProtocol.Start(spec, strategy, r), startTimeout), startTimeout);
      if (reply.isPresent()) {
        guard.answered();
        return reply.get();
      }
      guard.unanswered();
    }
  }

  /** The state now, waiting out a journal outage (up to automerge.cassandra.give-up-after). */
  public SearchState state() throws InterruptedException {
    while (true) {
      Optional<SearchState> state = tryState();
      if (state.isPresent()) {
        return state.get();
      }
      guard.unanswered();
    }
  }

  /** The state, or empty when the coordinator does not answer within a few seconds. */
  public Optional<SearchState> tryState() throws InterruptedException {
    Optional<SearchState> state = await(coordinator.ask(SearchProtocol.GetState::new, ask), ask.plusSeconds(5));
    state.ifPresent(s -> guard.answered());
    return state;
  }

  /** Polls every {@code every} until the search is {@link SearchState#settled()}, showing each state. */
  public SearchState awaitSettled(Duration every, Consumer<SearchState> onState) throws InterruptedException {
    while (true) {
      SearchState state = state();
      onState.accept(state);
      if (state.settled()) {
        return state;
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static <T> Optional<T> await(CompletionStage<T> stage, Duration limit) throws InterruptedException {
    try {
      return Optional.of(stage.toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException || e.getCause() instanceof org.apache.pekko.pattern.AskTimeoutException) {
        return Optional.empty();
      }
      throw new IllegalStateException("search coordinator did not answer: " + e.getCause(), e.getCause());
    }
  }
}
