package io.automerge.serve;

import com.typesafe.config.Config;
import io.automerge.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code automerge.api.*}, with the command line's overrides applied. {@link #checked()} holds the
 * rule that makes a node safe to start: off loopback only with a bearer token.
 */
public record ApiSettings(
    String bind, int port, String token, List<Path> allowedRoots, long maxBodyBytes, boolean allowCommandTasks,
    Duration discoverEvery, Duration preflightTimeout) {

  public static ApiSettings from(Config config, String bind, Integer port, List<Path> roots) {
    Config api = config.getConfig("automerge.api");
    List<Path> allowed = roots != null && !roots.isEmpty() ? roots
        : Arrays.stream(api.getString("allowed-roots").split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
    if (allowed.isEmpty()) {
      allowed = List.of(Path.of("").toAbsolutePath());
    }
    return new ApiSettings(
        bind != null ? bind : api.getString("bind"),
        port != null ? port : api.getInt("port"),
        api.getString("token"),
        allowed.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
        api.getBytes("max-body"),
        api.getBoolean("allow-command-tasks"),
        api.getDuration("discover-every"),
        api.getDuration("preflight-timeout"));
  }

  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  /** This, or one line saying why the node must not start (exit 2). */
  public ApiSettings checked() {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new InvalidInputException("--bind " + bind + ": unknown address");
    }
    if (!loopback && !tokenRequired()) {
      throw new InvalidInputException("--bind " + bind + ": serving beyond this machine needs a bearer token; "
          + "set AUTOMERGE_API_TOKEN (automerge.api.token) or bind 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidInputException("--port " + port + ": expected 0..65535");
    }
    for (Path root : allowedRoots) {
      if (!java.nio.file.Files.isDirectory(root)) {
        throw new InvalidInputException("automerge.api.allowed-roots: " + root + " is not a directory");
      }
    }
    return this;
  }
}
