package io.automerge.serve;

import io.automerge.cluster.SearchNode;
import io.automerge.metrics.SearchMetrics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;

/** `automerge serve`'s HTTP side on a running node: API, dashboard, metrics; health also on the management port. */
public final class ApiServer implements AutoCloseable {
  private final ServerBinding binding;
  private final String managementUri;
  private final ExecutorService blocking;

  private ApiServer(ServerBinding binding, String managementUri, ExecutorService blocking) {
    this.binding = binding;
    this.managementUri = managementUri;
    this.blocking = blocking;
  }

  /** Binds (settings must be {@link ApiSettings#checked()}); {@code management}: also start pekko-management. */
  public static ApiServer start(SearchNode node, ApiSettings settings, boolean management) throws Exception {
    var system = node.system();
    ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
    CassandraReadJournal journal =
        PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    WorkerPool workers = new WorkerPool(system);
    SearchCatalog[] catalog = new SearchCatalog[1];
    SearchMetrics metrics = new SearchMetrics(workers::size, () -> catalog[0] == null ? 0 : catalog[0].busyWorkers());
    catalog[0] = new SearchCatalog(system, journal, metrics);
    catalog[0].discoverEvery(settings.discoverEvery());
    HealthChecks health = new HealthChecks(classic,
        HealthCheckSettings.create(system.settings().config().getConfig("pekko.management.health-checks")));
    // Preflight opens checkpoints and reads task data: never on the HTTP dispatcher.
    ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "automerge-api-preflight");
      t.setDaemon(true);
      return t;
    });
    ApiRoutes routes = new ApiRoutes(node, settings, journal, catalog[0], workers, metrics, health, blocking);
    ServerBinding binding = Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    String managementUri = management
        ? PekkoManagement.get(classic).start().toCompletableFuture().get(60, TimeUnit.SECONDS).toString()
        : null;
    return new ApiServer(binding, managementUri, blocking);
  }

  public String uri() {
    var address = binding.localAddress();
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
    return "http://" + host + ":" + address.getPort() + "/";
  }

  /** The management endpoint (/alive, /ready), or null when it was not started. */
  public String managementUri() {
    return managementUri;
  }

  @Override
  public void close() {
    binding.unbind();
    blocking.shutdownNow();
  }
}
