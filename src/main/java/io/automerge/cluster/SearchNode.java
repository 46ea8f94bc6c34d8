package io.automerge.cluster;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.typesafe.config.Config;
import io.automerge.actors.GpuWorker;
import io.automerge.actors.PlanProposer;
import io.automerge.actors.SearchCoordinator;
import io.automerge.actors.WorkerId;
import io.automerge.trial.TrialBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * One AutoMerge node: an actor system in a cluster (itself alone unless seed nodes are set),
 * search coordinators as sharded entities, and one GpuWorker per device on this machine.
 */
public final class SearchNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final List<String> workerIds;
  private final JournalGuard journalGuard;

  private SearchNode(ActorSystem<Void> system, List<String> workerIds, JournalGuard journalGuard) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.workerIds = workerIds;
    this.journalGuard = journalGuard;
  }

  /**
   * Starts a node. {@code cpuWorkers} is used when there is no GPU (0 means 1); with GPUs every
   * device gets a worker pinned to it.
   */
  public static SearchNode start(Config appConfig, TrialBackend backend, PlanProposer proposer, int cpuWorkers) {
    Config config = ClusterConfig.resolve(appConfig, System.getenv());
    shareCpuCores(cpuWorkers);
    List<Device> devices = devices(cpuWorkers);
    ActorSystem<Void> system = ActorSystem.create(guardian(devices, backend), ClusterConfig.SYSTEM, config);
    List<String> ids = workerIds(system.address(), devices);
    Cluster cluster = Cluster.get(system);
    if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("automerge-blocking-dispatcher"));
    SearchCoordinator.Dependencies deps = new SearchCoordinator.Dependencies(backend, proposer, blocking);
    ClusterSharding.get(system).init(
        Entity.of(SearchCoordinator.TYPE_KEY, entity -> SearchCoordinator.create(entity.getEntityId(), deps)));
    return new SearchNode(system, ids, JournalGuard.from(config));
  }

  /**
   * CPU workers share the cores: PyTorch's intra-op pool is per process, so give it cores/workers
   * threads (before the engine starts; an explicit -Dai.djl.pytorch.num_threads wins).
   */
  public static void shareCpuCores(int cpuWorkers) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null && cpuWorkers > 1) {
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / cpuWorkers);
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
  }

  public static List<Device> devices(int cpuWorkers) {
    int gpus = Engine.getInstance().getGpuCount();
    List<Device> devices = new ArrayList<>();
    if (gpus > 0) {
      for (int i = 0; i < gpus; i++) {
        devices.add(Device.gpu(i));
      }
    } else {
      for (int i = 0; i < Math.max(1, cpuWorkers); i++) {
        devices.add(Device.cpu());
      }
    }
    return devices;
  }

  /** One name per device, unique in the cluster: this node's host:port and the device (see {@link WorkerId}). */
  static List<String> workerIds(Address node, List<Device> devices) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      ids.add(WorkerId.of(node.getHost().orElse("local") + ":" + node.getPort().map(String::valueOf).orElse("0"),
          devices.get(i).getDeviceType(), i).name());
    }
    return ids;
  }

  private static Behavior<Void> guardian(List<Device> devices, TrialBackend backend) {
    return Behaviors.setup(ctx -> {
      // Remoting is up before the guardian starts: the address has its (possibly picked) port.
      List<String> ids = workerIds(ctx.getSystem().address(), devices);
      for (int i = 0; i < devices.size(); i++) {
        ctx.spawn(
            GpuWorker.create(ids.get(i), devices.get(i), backend),
            ids.get(i),
            DispatcherSelector.fromConfig(GpuWorker.DISPATCHER));
      }
      return Behaviors.empty();
    });
  }

  public EntityRef<SearchCoordinator.Command> search(String id) {
    return sharding.entityRefFor(SearchCoordinator.TYPE_KEY, id);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Who rides out journal outages for the clients of this process's searches. */
  public JournalGuard journalGuard() {
    return journalGuard;
  }

  public List<String> workerIds() {
    return workerIds;
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }
}
