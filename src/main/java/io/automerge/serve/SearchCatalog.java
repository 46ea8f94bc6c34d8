package io.automerge.serve;

import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.cluster.SearchJournal;
import io.automerge.metrics.SearchMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every search in the journal, followed live: the server folds each one's events as they are
 * persisted (wherever its coordinator runs) into its latest state and the metrics. A feed that
 * fails (journal unreachable) is started again on the next discovery, from the event after the
 * last one it folded, so no event counts twice.
 */
public final class SearchCatalog {
  private static final Logger log = LoggerFactory.getLogger(SearchCatalog.class);
  private static final String PREFIX = SearchJournal.persistenceId("");

  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;
  private final SearchMetrics metrics;
  private final Map<String, Followed> searches = new ConcurrentHashMap<>();

  /** One search's fold: its state and the sequence number of the last event in it. */
  private static final class Followed {
    volatile SearchState state;
    volatile long seqNr;
    volatile boolean feeding;

    Followed(String id) {
      state = SearchState.empty(id);
    }
  }

  public SearchCatalog(ActorSystem<?> system, CassandraReadJournal journal, SearchMetrics metrics) {
    this.system = system;
    this.journal = journal;
    this.metrics = metrics;
  }

  /** Looks for searches started anywhere (other nodes, the CLI) now and then every {@code every}. */
  public void discoverEvery(Duration every) {
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, every, this::discover, system.executionContext());
  }

  private void discover() {
    journal.currentPersistenceIds()
        .filter(pid -> pid.startsWith(PREFIX))
        .runForeach(pid -> follow(pid.substring(PREFIX.length())), system)
        .whenComplete((done, failure) -> {
          if (failure != null) {
            log.debug("search discovery failed: {}", failure.toString());
          }
        });
  }

  /** Follows {@code id} (again, if its feed stopped before the search settled). */
  public void follow(String id) {
    Followed f = searches.computeIfAbsent(id, Followed::new);
    synchronized (f) {
      if (f.feeding || f.state.settled()) {
        return;
      }
      f.feeding = true;
    }
    journal.eventsByPersistenceId(SearchJournal.persistenceId(id), f.seqNr + 1, Long.MAX_VALUE)
        .takeWhile(env -> !f.state.settled())
        .runForeach(env -> {
          SearchEvent event = (SearchEvent) env.event();
          f.state = f.state.apply(event);
          f.seqNr = env.sequenceNr();
          metrics.record(event, f.state);
        }, system)
        .whenComplete((done, failure) -> {
          f.feeding = false;
          if (failure != null) {
            log.warn("following search {} stopped ({}); retrying at the next discovery", id, failure.toString());
          }
        });
  }

  /** The latest folded state of every search seen (NEW ones left out). */
  public Collection<SearchState> states() {
    return searches.values().stream().map(f -> f.state).filter(s -> s.phase() != SearchState.Phase.NEW).toList();
  }

  /** Trials in flight across running searches: each keeps one worker busy. */
  public int busyWorkers() {
    return searches.values().stream().map(f -> f.state)
        .filter(s -> s.phase() == SearchState.Phase.RUNNING)
        .mapToInt(s -> s.pending().size()).sum();
  }
}
