package io.automerge.cluster;

import io.automerge.actors.SearchCoordinator;
import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Reads a search's events straight from the journal, wherever its coordinator runs. */
public final class SearchJournal {
  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;

  public SearchJournal(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
  }

  public static String persistenceId(String searchId) {
    return PersistenceId.of(SearchCoordinator.TYPE_KEY.name(), searchId).id();
  }

  /** The search's state as its events say now. */
  public CompletionStage<SearchState> currentState(String searchId) {
    return journal.currentEventsByPersistenceId(persistenceId(searchId), 0L, Long.MAX_VALUE)
        .runFold(SearchState.empty(searchId), (s, env) -> s.apply((SearchEvent) env.event()), system);
  }

  /** A live feed of events; {@code stop()} ends it. */
  public record Feed(UniqueKillSwitch killSwitch, CompletionStage<Done> done) {
    public void stop() {
      killSwitch.shutdown();
    }
  }

  /**
   * Every event from {@code fromSequenceNr} on, as it is persisted, until stopped. A journal
   * outage fails the query; it starts again after the last event delivered, so none is lost or repeated.
   */
  public Feed follow(String searchId, long fromSequenceNr, Consumer<SearchEvent> onEvent) {
    AtomicLong next = new AtomicLong(fromSequenceNr);
    RestartSettings backoff = RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(5), 0.2);
    Pair<UniqueKillSwitch, CompletionStage<Done>> running =
        RestartSource.onFailuresWithBackoff(backoff,
                () -> journal.eventsByPersistenceId(persistenceId(searchId), next.get(), Long.MAX_VALUE))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(env -> {
              next.set(env.sequenceNr() + 1);
              onEvent.accept((SearchEvent) env.event());
            }), Keep.both())
            .run(system);
    return new Feed(running.first(), running.second());
  }
}
