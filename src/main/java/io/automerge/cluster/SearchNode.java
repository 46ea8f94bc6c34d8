package io.automerge.cluster;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.typesafe.config.Config;
import io.automerge.actors.SearchCoordinator;
import io.automerge.actors.SearchProtocol;
import io.automerge.actors.WorkerId;
import io.automerge.trial.TrialBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * One AutoMerge node: an actor system in a cluster (itself alone unless seed nodes are set),
 * search coordinators as sharded entities, and one GpuWorker per device on this machine, wired
 * by its {@link Guardian}.
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
   * device gets a worker pinned to it. How each search proposes trials is part of that search
   * (its recorded strategy), not of the node.
   */
  public static SearchNode start(Config appConfig, TrialBackend backend, int cpuWorkers) {
    Config config = ClusterConfig.resolve(appConfig, System.getenv());
    shareCpuCores(cpuWorkers);
    List<Device> devices = devices(cpuWorkers);
    CompletableFuture<List<String>> ready = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(Guardian.create(devices, backend, ready), ClusterConfig.SYSTEM, config);
    List<String> ids;
    try {
      ids = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("the node did not start: " + e, e);
    }
    return new SearchNode(system, ids, JournalGuard.from(config));
  }

  /** One worker per device, named uniquely in the cluster by this node's host:port and the device (see {@link WorkerId}). */
  static List<Guardian.WorkerSlot> workerSlots(Address node, List<Device> devices) {
    String hostPort = node.getHost().orElse("local") + ":" + node.getPort().map(String::valueOf).orElse("0");
    List<Guardian.WorkerSlot> slots = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      slots.add(new Guardian.WorkerSlot(WorkerId.of(hostPort, devices.get(i).getDeviceType(), i).name(), devices.get(i)));
    }
    return slots;
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

  public EntityRef<SearchProtocol.Command> search(String id) {
    return sharding.entityRefFor(SearchCoordinator.TYPE_KEY, id);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Who rides out journal outages for the clients of this process's searches. */
  public JournalGuard journalGuard() {
    return journalGuard;
  }

  /** True when this node has seed nodes: part of a real cluster, whose searches outlive it. */
  public boolean clustered() {
    return !system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty();
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
