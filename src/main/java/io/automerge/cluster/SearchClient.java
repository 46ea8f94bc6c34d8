package io.automerge.cluster;

import io.automerge.actors.SearchCoordinator;
import io.automerge.actors.SearchState;
import io.automerge.search.SearchSpec;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Starts a search through its sharded coordinator and follows its state, wherever it runs. */
public final class SearchClient {
  private final EntityRef<SearchCoordinator.Command> coordinator;

  public SearchClient(SearchNode node, String searchId) {
    this.coordinator = node.search(searchId);
  }

  /** Starts or resumes; the first call recovers the entity and may create the journal tables. */
  public SearchCoordinator.StartReply start(SearchSpec spec) throws InterruptedException {
    return await(coordinator.ask(r -> new SearchCoordinator.Start(spec, r), Duration.ofSeconds(120)));
  }

  public SearchState state() throws InterruptedException {
    return await(coordinator.ask(SearchCoordinator.GetState::new, Duration.ofSeconds(60)));
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

  private static <T> T await(CompletionStage<T> stage) throws InterruptedException {
    try {
      return stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("search coordinator did not answer: " + e.getCause(), e.getCause());
    }
  }
}
