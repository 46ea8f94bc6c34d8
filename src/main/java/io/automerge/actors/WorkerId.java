package io.automerge.actors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's name, unique in the cluster: the node's host:port and the device, e.g.
 * {@code worker-127.0.0.1:25521-cpu-0}. It is the worker actor's name and what the journal
 * records, so a trial's events say which machine and device ran it.
 */
public record WorkerId(String node, String device, int index) {
  private static final Pattern NAME = Pattern.compile("^worker-(?:(.+)-)?([a-z]+)-([0-9]+)$");

  /** {@code node} is the cluster address's host:port (the actor-name characters Pekko allows). */
  public static WorkerId of(String node, String device, int index) {
    return new WorkerId(node, device, index);
  }

  /** The parts of a worker name; names from before node addresses (worker-cpu-0) have an empty node. */
  public static WorkerId parse(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a worker name: " + name);
    }
    return new WorkerId(m.group(1) == null ? "" : m.group(1), m.group(2), Integer.parseInt(m.group(3)));
  }

  public String name() {
    return "worker-" + (node.isEmpty() ? "" : node + "-") + device + "-" + index;
  }

  @Override
  public String toString() {
    return name();
  }
}
