package io.automerge.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A declared {@code command} task: any evaluator, run as a program on a checkpoint directory.
 * {@code {model}} and {@code {split}} in the arguments are replaced; the program runs in
 * {@code working_dir} (default: the spec's directory). Its last stdout line is
 * {@code {"loss": x, "metrics": {...}}}; lower loss is better, metrics are higher-is-better
 * unless listed in {@code lower_is_better}. A non-zero exit, a timeout or a last line that is not
 * such JSON fails the run, with the program's last stderr line as the reason.
 */
public record CommandTask(String name, List<String> command, int timeoutSeconds, Set<String> lowerIsBetter, Path workingDir)
    implements ModelTask {
  public static final int DEFAULT_TIMEOUT_S = 600;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the program printed. */
  public record Result(double loss, Map<String, Double> metrics) {}

  /** The program failed; the message ends with its last stderr line. */
  public static final class Failed extends RuntimeException {
    public Failed(String message) {
      super(message);
    }
  }

  public CommandTask {
    command = List.copyOf(command);
    lowerIsBetter = Set.copyOf(lowerIsBetter);
  }

  static CommandTask of(String name, TaskSpec spec) {
    String where = "tasks." + name;
    if (spec.command() == null || spec.command().isEmpty()) {
      throw new InvalidInputException(where + ".command: required, a list: program and arguments");
    }
    if (spec.timeoutS() != null && spec.timeoutS() < 1) {
      throw new InvalidInputException(where + ".timeout_s: must be positive (got " + spec.timeoutS() + ")");
    }
    Path dir = Path.of(spec.workingDir() == null ? "." : spec.workingDir());
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(where + ".working_dir: " + dir + " is not a directory");
    }
    CommandTask task = new CommandTask(name, spec.command(), spec.timeoutS() == null ? DEFAULT_TIMEOUT_S : spec.timeoutS(),
        spec.lowerIsBetter() == null ? Set.of() : Set.copyOf(spec.lowerIsBetter()), dir);
    task.checkFound(where + ".command");
    return task;
  }

  /** The program exists: a path (relative to the working directory) or a name on PATH. */
  void checkFound(String where) {
    String program = command.get(0);
    if (program.contains("/")) {
      Path p = workingDir.resolve(program);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new InvalidInputException(where + ": " + program + " not found or not executable (in " + workingDir + ")");
      }
      return;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program)) && Files.isRegularFile(Path.of(dir, program))) {
        return;
      }
    }
    throw new InvalidInputException(where + ": command '" + program + "' not found on PATH");
  }

  /** The arguments with {@code {model}} and {@code {split}} replaced. */
  public List<String> argv(Path modelDir, Split split) {
    List<String> out = new ArrayList<>();
    for (String arg : command) {
      out.add(arg.replace("{model}", modelDir.toString()).replace("{split}", split.label()));
    }
    return out;
  }

  /** Runs the program on a checkpoint directory; throws {@link Failed} with its last stderr line. */
  public Result run(Path modelDir, Split split) {
    List<String> argv = argv(modelDir, split);
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("automerge-cmd-", ".out");
      stderr = Files.createTempFile("automerge-cmd-", ".err");
      Process p = new ProcessBuilder(argv).directory(workingDir.toFile())
          .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw failed("timed out after " + timeoutSeconds + " s", stderr);
      }
      if (p.exitValue() != 0) {
        throw failed("exited with " + p.exitValue(), stderr);
      }
      return parse(lastLine(stdout), stderr);
    } catch (IOException e) {
      throw new Failed("task " + name + ": cannot run " + argv.get(0) + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed("task " + name + ": interrupted");
    } finally {
      delete(stdout);
      delete(stderr);
    }
  }

  private Result parse(String line, Path stderr) throws IOException {
    JsonNode json;
    try {
      json = line == null ? null : JSON.readTree(line);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject() || !json.path("loss").isNumber() || !json.path("metrics").isObject()) {
      throw failed("printed no {\"loss\": x, \"metrics\": {...}} as its last stdout line"
          + (line == null ? "" : " (got: " + abbreviate(line) + ")"), stderr);
    }
    double loss = json.get("loss").asDouble();
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.get("metrics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      if (!m.getValue().isNumber()) {
        throw failed("metric '" + m.getKey() + "' is not a number (" + m.getValue() + ")", stderr);
      }
      metrics.put(m.getKey(), m.getValue().asDouble());
    }
    return new Result(loss, metrics);
  }

  private Failed failed(String what, Path stderr) throws IOException {
    String last = lastLine(stderr);
    return new Failed("task " + name + ": " + command.get(0) + " " + what + (last == null ? "" : ": " + last));
  }

  private static String lastLine(Path file) throws IOException {
    String last = null;
    for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList()) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    return last;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file in the temp dir
      }
    }
  }
}
