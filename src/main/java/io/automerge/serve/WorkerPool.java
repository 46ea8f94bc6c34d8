package io.automerge.serve;

import io.automerge.actors.GpuWorker;
import io.automerge.actors.WorkerId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/** The workers of the whole cluster, as the Receptionist lists them (the coordinators' source too). */
public final class WorkerPool {
  private volatile Set<ActorRef<GpuWorker.Command>> workers = Set.of();
  private final String localNode;

  public WorkerPool(ActorSystem<?> system) {
    this.localNode = org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address().hostPort();
    system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(GpuWorker.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        workers = listing.getServiceInstances(GpuWorker.SERVICE_KEY);
        return Behaviors.same();
      });
    }), "api-worker-pool", Props.empty());
  }

  public int size() {
    return workers.size();
  }

  /** {"id", "node", "device"} per worker, by id. */
  public List<Map<String, Object>> list() {
    return workers.stream().map(w -> {
      Map<String, Object> m = new LinkedHashMap<String, Object>();
      String id = w.path().name();
      m.put("id", id);
      m.put("node", w.path().address().hasLocalScope() ? localNode : w.path().address().hostPort());
      m.put("device", WorkerId.parse(id).device());
      return m;
    }).sorted(Comparator.comparing(m -> m.get("node") + "/" + m.get("id"))).toList();
  }
}
