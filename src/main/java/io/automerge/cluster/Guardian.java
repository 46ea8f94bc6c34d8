package io.automerge.cluster;

import ai.djl.Device;
import io.automerge.actors.GpuWorker;
import io.automerge.actors.SearchCoordinator;
import io.automerge.actors.SearchSettings;
import io.automerge.trial.TrialBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Wires one node: joins the cluster (itself, without seed nodes), spawns one GpuWorker per device
 * on its pinned dispatcher, and starts the search coordinators' sharding with the node's backend
 * and settings. Completes {@code ready} once searches can be addressed.
 */
public final class Guardian {
  private Guardian() {}

  /** One worker of this node: its id (as trials record it) and its device. */
  public record WorkerSlot(String id, Device device) {}

  /** Completes {@code ready} with the workers' ids once searches can be addressed. */
  public static Behavior<Void> create(List<Device> devices, TrialBackend backend, CompletableFuture<List<String>> ready) {
    return Behaviors.setup(ctx -> {
      var system = ctx.getSystem();
      // Remoting is up before the guardian starts: the address has its port, even a picked one.
      List<WorkerSlot> workers = SearchNode.workerSlots(system.address(), devices);
      Cluster cluster = Cluster.get(system);
      if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      for (WorkerSlot slot : workers) {
        ctx.spawn(GpuWorker.create(slot.id(), slot.device(), backend), slot.id(), DispatcherSelector.fromConfig(GpuWorker.DISPATCHER));
      }
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("automerge-blocking-dispatcher"));
      Duration passivateAfter = system.settings().config().getDuration("automerge.search.passivate-settled-after");
      var deps = new SearchCoordinator.Dependencies(backend, blocking, SearchSettings.from(system.settings().config()));
      ClusterSharding.get(system).init(
          Entity.of(SearchCoordinator.TYPE_KEY, entity -> SearchCoordinator.create(entity.getEntityId(), deps,
              new SearchCoordinator.Passivation(entity.getShard(), passivateAfter))));
      ready.complete(workers.stream().map(WorkerSlot::id).toList());
      return Behaviors.empty();
    });
  }
}
