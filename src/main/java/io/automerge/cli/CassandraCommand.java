package io.automerge.cli;

import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import io.automerge.cluster.CassandraSettings;
import io.automerge.cluster.LocalCassandra;
import io.automerge.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `automerge cassandra start|stop|status`: manages the embedded local Cassandra node. */
@Command(
    name = "cassandra",
    mixinStandardHelpOptions = true,
    description = "Manage the embedded local Cassandra node that stores search events.",
    subcommands = {
      CassandraCommand.Start.class,
      CassandraCommand.Stop.class,
      CassandraCommand.Status.class
    })
public final class CassandraCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  static LocalCassandra local() {
    return new LocalCassandra(CassandraSettings.from(ConfigFactory.load()));
  }

  static String describe(LocalCassandra.Status s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("answering", s.answering());
    out.put("pid", s.pid().orElse(null));
    out.put("version", s.version().orElse(null));
    out.put("port", s.port());
    out.put("dir", s.dir().toString());
    return Json.line(out);
  }

  @Command(name = "start", description = "Start the local node (or reuse a running one) and wait until it answers CQL.")
  static final class Start implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println(describe(local().ensureRunning()));
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop the local node started from this data directory "
      + "(refused while a search on this machine uses it, unless --force).")
  static final class Stop implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--force",
        description = "Stop it even while searches use it (a search on the embedded default starts it again).")
    boolean force;

    @Override
    public Integer call() {
      CassandraSettings settings = CassandraSettings.from(ConfigFactory.load());
      List<String> users = users(settings);
      if (!users.isEmpty() && !force) {
        throw new InvalidInputException("not stopping the local Cassandra node in " + settings.localDir() + ": "
            + String.join(", ", users) + (users.size() == 1 ? " uses" : " use") + " it; stop "
            + (users.size() == 1 ? "it" : "them") + " first (Ctrl-C; a search resumes when run again) or use --force");
      }
      boolean stopped = new LocalCassandra(settings).stop();
      System.out.println(stopped ? "stopped" : "not running");
      return 0;
    }
  }

  /** The live processes on this machine that use the local node: searches, and worker, serve and experiment nodes. */
  static List<String> users(CassandraSettings settings) {
    String dir = settings.localDir().toString();
    String journal = "127.0.0.1:" + settings.localCqlPort();
    List<String> users = new ArrayList<>();
    SearchLock.live().stream()
        .filter(h -> dir.equals(h.embeddedDir()) || journal.equals(h.journal()))
        .forEach(h -> users.add("search '" + h.search() + "' (pid " + h.pid() + ")"));
    NodeLock.live().stream()
        .filter(h -> dir.equals(h.embeddedDir()) || journal.equals(h.journal()))
        .forEach(h -> users.add(h.what() + " (pid " + h.pid() + ")"));
    return users;
  }

  @Command(name = "status", description = "Print whether the local node answers CQL (exit 3 when not).")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() {
      LocalCassandra.Status s = local().status();
      System.out.println(describe(s));
      return s.answering() ? 0 : 3;
    }
  }
}
