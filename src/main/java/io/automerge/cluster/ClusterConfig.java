package io.automerge.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What makes a node part of a cluster: its seed nodes (pekko.cluster.seed-nodes, or the
 * environment's AUTOMERGE_SEED_NODES) and what follows from having them.
 *
 * <p>A node without seed nodes is a cluster of its own (one `automerge search` on a laptop): it
 * remembers no sharded entities, so it never restarts some other search that an earlier process
 * left unfinished in the journal (the per-machine search lock keeps one process per search there).
 * Nodes of a real cluster remember their searches in the journal, so a search whose node dies is
 * started again on a surviving node, without any client asking for it.
 */
public final class ClusterConfig {
  public static final String SEED_NODES_ENV = "AUTOMERGE_SEED_NODES";
  /** The actor system's name: part of every node address. */
  public static final String SYSTEM = "automerge";

  private static final Pattern HOST_PORT = Pattern.compile("^[^\\s/@:]+:[0-9]{1,5}$");
  private static final Pattern ADDRESS = Pattern.compile("^pekko://" + SYSTEM + "@[^\\s/@:]+:[0-9]{1,5}$");

  private ClusterConfig() {}

  /** {@code config} with the seed nodes from {@code env} (when set) and remember-entities only in a real cluster. */
  public static Config resolve(Config config, Map<String, String> env) {
    Config out = config;
    String fromEnv = env.getOrDefault(SEED_NODES_ENV, "").strip();
    if (!fromEnv.isEmpty()) {
      out = ConfigFactory.empty()
          .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(parseSeedNodes(fromEnv)))
          .withFallback(out);
    }
    if (out.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      out = ConfigFactory.parseString("pekko.cluster.sharding.remember-entities = off").withFallback(out);
    }
    return out;
  }

  /** {@code HOST:PORT} or {@code pekko://automerge@HOST:PORT}, comma-separated, as node addresses. */
  static List<String> parseSeedNodes(String list) {
    List<String> out = new ArrayList<>();
    for (String raw : list.split(",")) {
      String seed = raw.strip();
      if (seed.isEmpty()) {
        continue;
      }
      if (HOST_PORT.matcher(seed).matches()) {
        out.add("pekko://" + SYSTEM + "@" + seed);
      } else if (ADDRESS.matcher(seed).matches()) {
        out.add(seed);
      } else {
        throw new InvalidInputException(SEED_NODES_ENV + ": '" + seed + "' is not HOST:PORT or pekko://" + SYSTEM + "@HOST:PORT");
      }
    }
    return out;
  }
}
