package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.automerge.actors.PlanProposer;
import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.eval.TinyCctPair;
import io.automerge.search.ProposalStrategy;
import io.automerge.util.FileTrees;
import io.automerge.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search on a cluster of real JVMs on loopback, against one Cassandra node this test starts for
 * itself (target/it-cassandra-cluster, free ports): `automerge search` on node A with workers on
 * nodes B and D; node C joins mid-search and gets trials within seconds; a worker node is killed
 * (SIGKILL) mid-trial and its trial runs again elsewhere; then the node that hosts the search's
 * coordinator is killed and the search moves to a surviving node (remember-entities, the
 * split-brain resolver downing the dead node) and finishes there with the strategy it recorded.
 * Read from the journal: exactly the budget completed, each trial once, none lost.
 */
class ClusterFailoverTest {
  private static final int TRIALS = 300; // a quiet machine runs about 140 before the coordinator's node is killed
  private static final String ID = "cluster-" + System.currentTimeMillis();
  /** Failure detection and downing in seconds for the test (production: 6 s pause, 20 s stable-after). */
  private static final List<String> FAST_DOWNING = List.of(
      "-Xmx640m",
      "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=5s",
      "-Dpekko.cluster.split-brain-resolver.stable-after=5s");

  @TempDir static Path dir;
  private static LocalCassandra cassandra;
  private static Path cassandraDir;
  private static int cql;
  private static int storage;
  private static ActorSystem<Void> reader;
  private static final List<Node> nodes = new ArrayList<>();
  private static final List<Seen> journal = new ArrayList<>();

  /** A cluster node: its JVM and its own log directory (stderr files and automerge.log). */
  record Node(String name, int port, Process process, Path logs) {
    String workerId() {
      return "worker-127.0.0.1:" + port + "-cpu-0";
    }

    String stderr() {
      return TestCassandra.lastStderr(logs);
    }
  }

  /** An event of the search as the journal gave it, and when this test saw it. */
  record Seen(SearchEvent event, long atMillis) {}

  @BeforeAll
  static void startOwnCassandra() throws IOException {
    cql = TestCassandra.freePort();
    storage = TestCassandra.freePort();
    cassandraDir = Path.of("target", "it-cassandra-cluster").toAbsolutePath();
    cassandra = new LocalCassandra(new CassandraSettings(List.of(), "datacenter1", Duration.ofSeconds(60),
        cassandraDir, cql, storage, "512m", Duration.ofSeconds(180), ""));
    cassandra.stop(); // one left over from an aborted run
    // A fresh journal: remembered searches of an aborted run would start again in this cluster.
    FileTrees.delete(cassandraDir);
    cassandra.ensureRunning();
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (Node n : nodes) {
      n.process().destroyForcibly();
      n.process().waitFor(30, TimeUnit.SECONDS);
    }
    if (reader != null) {
      reader.terminate();
      reader.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (cassandra != null) {
      cassandra.stop();
    }
  }

  @Test
  void searchSurvivesLosingAWorkerNodeAndTheCoordinatorsNode() throws Exception {
    Path spec = writeSpec();
    int seed = TestCassandra.freePort();
    followJournal();

    // A runs the search (random search: not the nodes' default, so a strategy lost on the way would show);
    // B and D offer their workers from the start.
    Node a = start("A", seed, seed, "search", spec.toString(), "--optimizer", "random");
    Node b = start("B", TestCassandra.freePort(), seed, "worker");
    Node d = start("D", TestCassandra.freePort(), seed, "worker");
    for (Node n : List.of(a, b, d)) {
      await("a trial completed by " + n.name() + "'s worker", Duration.ofMinutes(4), () -> completedBy(n.workerId()) > 0);
    }
    String hostLine = "search " + ID + " is coordinated on this node (127.0.0.1:";
    Node host = awaitValue("the node coordinating the search", Duration.ofSeconds(30),
        () -> List.of(a, b, d).stream().filter(n -> n.stderr().contains(hostLine + n.port() + ")")).findFirst().orElse(null));

    // C joins mid-search: its worker gets trials within seconds of the node being up.
    Node c = start("C", TestCassandra.freePort(), seed, "worker");
    long up = awaitValue("node C up", Duration.ofMinutes(2), () -> c.stderr().contains("worker node up") ? System.currentTimeMillis() : null);
    // Its worker loads the search when the coordinator first sends it work (then scores the sources once).
    long loading = awaitValue("the late node C given work", Duration.ofMinutes(1),
        () -> c.stderr().contains(c.workerId() + " loading search " + ID) ? System.currentTimeMillis() : null);
    long firstOnC = awaitValue("a trial completed on the late node C", Duration.ofMinutes(1),
        () -> firstCompletionBy(c.workerId()));
    System.out.printf("cluster: late node C given work %.1f s after it was up; its first trial completed after %.1f s%n",
        (loading - up) / 1000.0, (firstOnC - up) / 1000.0);
    assertThat(loading - up).isLessThan(20_000);
    assertThat(firstOnC - up).isLessThan(45_000);
    assertThat(count(SearchEvent.TrialCompleted.class)).as("budget left for the node losses").isLessThan(TRIALS - 40);

    // SIGKILL of a worker node (not the coordinator's) right after it finished a trial: it is busy
    // with the next one. That trial fails there (once the node is downed) and runs again elsewhere.
    Node victim = host == b ? d : b;
    int before = completedBy(victim.workerId());
    await("another trial on " + victim.name(), Duration.ofMinutes(1), () -> completedBy(victim.workerId()) > before);
    victim.process().destroyForcibly();
    long victimKilled = System.currentTimeMillis();
    SearchEvent.TrialFailed lost = awaitValue("the killed worker's trial failed", Duration.ofMinutes(1),
        () -> events(SearchEvent.TrialFailed.class).stream().filter(f -> f.worker().equals(victim.workerId())).findFirst().orElse(null));
    System.out.printf("cluster: worker node %s killed; its trial %d failed there after %.1f s%n", victim.name(), lost.trial(),
        (seenAt(lost) - victimKilled) / 1000.0);
    SearchEvent.TrialCompleted rerun = awaitValue("trial " + lost.trial() + " run again", Duration.ofMinutes(1),
        () -> events(SearchEvent.TrialCompleted.class).stream().filter(t -> t.trial() == lost.trial()).findFirst().orElse(null));
    assertThat(rerun.worker()).isNotEqualTo(victim.workerId());

    // SIGKILL of the node that hosts the coordinator: the survivors down it, its shard moves, the
    // remembered search starts again on a survivor and finishes there.
    assertThat(count(SearchEvent.TrialCompleted.class)).as("budget left for the coordinator's loss").isLessThan(TRIALS - 10);
    host.process().destroyForcibly();
    long hostKilled = System.currentTimeMillis();
    List<Node> survivors = List.of(a, b, c, d).stream().filter(n -> n != host && n != victim).toList();
    Node newHost = awaitValue("a surviving node coordinating the search", Duration.ofMinutes(2),
        () -> survivors.stream().filter(n -> n.stderr().contains(hostLine + n.port() + ")")).findFirst().orElse(null));
    long moved = System.currentTimeMillis();
    // Seconds after the kill: whatever the dead coordinator persisted has reached this reader by now.
    int eventsBefore = journalSize();
    long resumed = awaitValue("a trial completed after the coordinator moved", Duration.ofMinutes(2),
        () -> firstAfter(eventsBefore, SearchEvent.TrialCompleted.class));
    System.out.printf("cluster: coordinator's node %s killed; %s coordinates it %.1f s after the kill, its first trial completed %.1f s after the kill%n",
        host.name(), newHost.name(), (moved - hostKilled) / 1000.0, (resumed - hostKilled) / 1000.0);
    await("the model exported", Duration.ofMinutes(5), () -> count(SearchEvent.ModelExported.class) > 0);

    assertJournal(List.of(a, b, c, d));

    // A node that uses the journal without a search lock (worker C) is seen by `cassandra stop`.
    Map<String, String> env = TestCassandra.embeddedEnv(cassandraDir, cql, storage);
    Path stopLogs = Files.createDirectories(dir.resolve("stop"));
    Process stop = TestCassandra.automerge(env, stopLogs, "cassandra", "stop");
    assertThat(stop.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String refused = TestCassandra.lastStderr(stopLogs);
    assertThat(stop.exitValue()).as(refused).isEqualTo(2);
    assertThat(refused).contains("worker node (pid " + c.process().pid() + ")").contains("--force");
    assertThat(cassandra.status().answering()).isTrue();

    if (survivors.contains(a)) {
      assertThat(a.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(a.process().exitValue()).as(a.stderr()).isEqualTo(0);
    }
  }

  /** What the journal says: the whole budget, each trial once, by workers of every node, proposed as the recorded strategy does. */
  private static void assertJournal(List<Node> all) {
    List<SearchEvent> events;
    synchronized (journal) {
      events = journal.stream().map(Seen::event).toList();
    }
    SearchEvent.SearchStarted started = (SearchEvent.SearchStarted) events.get(0);
    assertThat(started.strategy()).isInstanceOf(ProposalStrategy.Optimizer.class);
    assertThat(((ProposalStrategy.Optimizer) started.strategy()).algorithm()).isEqualTo(ProposalStrategy.Algorithm.RANDOM);

    Map<Integer, Integer> completions = new HashMap<>();
    Map<String, Integer> byWorker = new LinkedHashMap<>();
    Set<Integer> proposed = new HashSet<>();
    for (SearchEvent e : events) {
      if (e instanceof SearchEvent.TrialProposed p) {
        assertThat(proposed.add(p.trial())).as("trial %d proposed once", p.trial()).isTrue();
      }
      if (e instanceof SearchEvent.TrialCompleted t) {
        completions.merge(t.trial(), 1, Integer::sum);
        byWorker.merge(t.worker(), 1, Integer::sum);
      }
    }
    System.out.println("cluster: trials completed per worker " + byWorker);
    assertThat(completions).as("every trial completed once").hasSize(TRIALS).allSatisfy((trial, n) -> assertThat(n).isEqualTo(1));
    assertThat(completions.keySet()).isEqualTo(proposed);
    assertThat(proposed).allSatisfy(t -> assertThat(t).isBetween(1, TRIALS));
    assertThat(events).noneMatch(e -> e instanceof SearchEvent.TrialAbandoned || e instanceof SearchEvent.SearchFailed);
    assertThat(events).filteredOn(e -> e instanceof SearchEvent.SearchCompleted).hasSize(1);
    assertThat(events).filteredOn(e -> e instanceof SearchEvent.ModelExported).hasSize(1);
    for (Node n : all) {
      assertThat(byWorker).as("trials by %s's worker", n.name()).containsKey(n.workerId());
    }

    // Every proposal, before and after the coordinator moved, is what the recorded strategy
    // proposes from the journal up to it; Bayesian optimization (any node's default) would not be.
    SearchState state = SearchState.empty(ID);
    int differFromBayesian = 0;
    PlanProposer bayesian = PlanProposer.of(ProposalStrategy.bayesian());
    for (SearchEvent e : events) {
      if (e instanceof SearchEvent.TrialProposed p) {
        JsonNode expected = Json.mapper().valueToTree(PlanProposer.of(state.strategy()).propose(state, p.trial()));
        assertThat(Json.mapper().<JsonNode>valueToTree(p.plan())).as("plan of trial %d", p.trial()).isEqualTo(expected);
        if (p.trial() > TRIALS - 10 && !Json.mapper().valueToTree(bayesian.propose(state, p.trial())).equals(expected)) {
          differFromBayesian++;
        }
      }
      state = state.apply(e);
    }
    assertThat(differFromBayesian).as("the last proposals tell random search from Bayesian optimization").isPositive();
    assertThat(state.phase()).isEqualTo(SearchState.Phase.COMPLETED);
  }

  private static Path writeSpec() throws IOException {
    TinyCctPair pair = TinyCctPair.shared();
    Path spec = dir.resolve("spec.yaml");
    // 1500 validation images per task: trials long enough (about a second) that nodes join and die
    // between them; the export scores 200 test images and no fixed techniques.
    Files.writeString(spec, """
        id: %s
        base_model: %s
        models:
          - {path: %s, task: "fashion-mnist:tops"}
          - {path: %s, task: "fashion-mnist:others"}
        segmentation: shape
        trials: %d
        initial: 4
        validation: {samples_per_task: 1500}
        workers: 1
        seed: 5
        output: out
        rescore: 0
        report: {baselines: false, test_samples: 200}
        """.formatted(ID, pair.base(), pair.tops(), pair.others(), TRIALS));
    return spec;
  }

  /** A node on {@code port} of the cluster whose first seed node is on {@code seedPort}. */
  private static Node start(String name, int port, int seedPort, String... args) throws IOException {
    Path logs = Files.createDirectories(dir.resolve("node-" + name));
    Map<String, String> env = new HashMap<>(TestCassandra.embeddedEnv(cassandraDir, cql, storage));
    env.put("AUTOMERGE_LOG_DIR", logs.toString());
    env.put("AUTOMERGE_PORT", Integer.toString(port));
    env.put(ClusterConfig.SEED_NODES_ENV, "127.0.0.1:" + seedPort);
    Node node = new Node(name, port, TestCassandra.automerge(env, logs, FAST_DOWNING, args), logs);
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  /** Every event of the search, from the journal, as the nodes persist them (the test's own reader, in no cluster). */
  private static void followJournal() {
    Config config = ConfigFactory.parseString("pekko.actor.provider = local")
        .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(List.of("127.0.0.1:" + cql)))
        .withFallback(ConfigFactory.load());
    reader = ActorSystem.create(Behaviors.empty(), "journal-reader", config);
    new SearchJournal(reader).follow(ID, 1, e -> {
      synchronized (journal) {
        journal.add(new Seen(e, System.currentTimeMillis()));
      }
    });
  }

  private static <T extends SearchEvent> List<T> events(Class<T> type) {
    synchronized (journal) {
      return journal.stream().map(Seen::event).filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static int count(Class<? extends SearchEvent> type) {
    return events(type).size();
  }

  private static int journalSize() {
    synchronized (journal) {
      return journal.size();
    }
  }

  private static int completedBy(String worker) {
    return (int) events(SearchEvent.TrialCompleted.class).stream().filter(t -> t.worker().equals(worker)).count();
  }

  private static Long firstCompletionBy(String worker) {
    synchronized (journal) {
      return journal.stream()
          .filter(s -> s.event() instanceof SearchEvent.TrialCompleted t && t.worker().equals(worker))
          .map(Seen::atMillis).findFirst().orElse(null);
    }
  }

  private static Long firstAfter(int index, Class<? extends SearchEvent> type) {
    synchronized (journal) {
      return journal.stream().skip(index).filter(s -> type.isInstance(s.event())).map(Seen::atMillis).findFirst().orElse(null);
    }
  }

  private static long seenAt(SearchEvent event) {
    synchronized (journal) {
      return journal.stream().filter(s -> s.event() == event).findFirst().orElseThrow().atMillis();
    }
  }

  private static void await(String what, Duration limit, Supplier<Boolean> condition) throws InterruptedException {
    awaitValue(what, limit, () -> condition.get() ? Boolean.TRUE : null);
  }

  /** Polls until {@code value} is non-null; on timeout fails with every node's terminal output. */
  private static <T> T awaitValue(String what, Duration limit, Supplier<T> value) throws InterruptedException {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    while (System.currentTimeMillis() < deadline) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(200);
    }
    StringBuilder out = new StringBuilder("timed out after " + limit.toSeconds() + " s waiting for " + what
        + "; journal: " + journalSize() + " events, " + count(SearchEvent.TrialCompleted.class) + " trials completed");
    synchronized (nodes) {
      for (Node n : nodes) {
        out.append("\n--- node ").append(n.name()).append(" (port ").append(n.port()).append(", ")
            .append(n.process().isAlive() ? "alive" : "exited").append(")\n").append(n.stderr());
      }
    }
    return fail(out.toString());
  }
}
