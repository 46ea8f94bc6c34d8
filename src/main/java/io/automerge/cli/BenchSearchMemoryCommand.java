package io.automerge.cli;

import io.automerge.util.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.SearchSpec;
import io.automerge.trial.bench.RandomLlama;
import io.automerge.trial.bench.TrialLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `automerge bench search-memory`: the memory a search worker needs, streamed against the old
 * resident copies. Generates a Llama-shaped BF16 checkpoint with N sources (HF config, tokenizer.json,
 * declared text tasks on Debian license texts), then for each N and each
 * {@code cache_sources_on_device} setting runs a short search's trial loop in a JVM of its own and
 * prints parameters, float32 model bytes, peak RssAnon and seconds per trial (merge, evaluation).
 */
@Command(name = "search-memory", mixinStandardHelpOptions = true,
    description = "Peak RssAnon and seconds per trial of a search on a generated Llama: streamed sources vs resident copies.")
public final class BenchSearchMemoryCommand implements Callable<Integer> {
  static final Path LICENSES = Path.of("/usr/share/common-licenses");
  static final List<String> TEXTS = List.of("GPL-3", "Apache-2.0", "MPL-2.0", "GPL-2", "LGPL-2.1", "Artistic");

  @Option(names = "--shape", defaultValue = "medium", description = "medium (hidden 1024, --layers layers, vocab 32000), tinyllama (TinyLlama-1.1B's config) or bytes136m (136M parameters, vocab 256: byte-level) (default: ${DEFAULT-VALUE}).")
  String shape;

  @Option(names = "--layers", defaultValue = "13", description = "Layers of the medium shape (13: 211M parameters) (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--sources", split = ",", defaultValue = "2,4", description = "Source counts N to measure (default: ${DEFAULT-VALUE}).")
  List<Integer> sourceCounts;

  @Option(names = "--modes", split = ",", defaultValue = "off,on", description = "cache_sources_on_device settings: off streams, on is the old resident copies (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--trials", defaultValue = "3", description = "Trials per measurement (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--xmx", defaultValue = "1g", description = "Java heap of each measuring JVM (default: ${DEFAULT-VALUE}).")
  String xmx;

  @Option(names = "--dir", description = "Where the checkpoints go (default: a new /tmp/automerge-bench-memory-*; deleted at the end unless --keep).")
  Path dir;

  @Option(names = "--keep", description = "Keep the generated checkpoints.")
  boolean keep;

  @Option(names = "--generate-only", description = "Write the checkpoints into --dir and stop (for a search of your own on them).")
  boolean generateOnly;

  @Option(names = "--child", hidden = true, description = "Internal: measure SPEC in this JVM and print one RESULT line.")
  Path child;

  @Override
  public Integer call() throws Exception {
    if (child != null) {
      System.out.println("RESULT " + new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsString(TrialLoop.run(SearchSpec.load(child), trials)));
      return 0;
    }
    RandomLlama llama = switch (shape) {
      case "tinyllama" -> RandomLlama.tinyLlama();
      case "bytes136m" -> RandomLlama.bytes136m();
      case "medium" -> RandomLlama.medium(layers);
      default -> throw new io.automerge.InvalidInputException("--shape: expected medium, tinyllama or bytes136m (got " + shape + ")");
    };
    if (generateOnly && dir == null) {
      throw new io.automerge.InvalidInputException("--generate-only: needs --dir");
    }
    int maxSources = sourceCounts.stream().max(Integer::compare).orElse(2);
    if (maxSources > TEXTS.size()) {
      throw new io.automerge.InvalidInputException("--sources: at most " + TEXTS.size() + " (one declared text task per source)");
    }
    Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory(Path.of("/tmp"), "automerge-bench-memory-");
    try {
      long start = System.nanoTime();
      generate(llama, root, maxSources, !shape.equals("bytes136m"));
      System.out.printf("generated %s: %,d parameters, base + %d sources in BF16 under %s (%.0f s)%n", shape, llama.parameters(),
          maxSources, root, (System.nanoTime() - start) / 1e9);
      if (generateOnly) {
        return 0;
      }
      System.out.printf("%-3s %-6s %14s %12s %14s %10s %10s %10s %10s %8s%n", "N", "cache", "parameters", "f32 GiB",
          "peak RssAnon", "x f32", "open s", "merge s", "eval s", "load");
      for (int n : sourceCounts) {
        for (String mode : modes) {
          Path spec = spec(root, n, mode);
          JsonNode r = measure(spec);
          double f32 = r.get("float32_bytes").asDouble();
          double peak = r.get("peak_rss_anon_bytes").asDouble();
          System.out.printf("%-3d %-6s %,14d %12.2f %11.2f GiB %10.2f %10.1f %10.2f %10.2f %8s%n", n, mode, r.get("parameters").asLong(),
              f32 / (1L << 30), peak / (1L << 30), peak / f32, r.get("open_seconds").asDouble(),
              r.get("merge_seconds_per_trial").asDouble(), r.get("eval_seconds_per_trial").asDouble(), loadAverage());
        }
      }
      System.out.println("target (issue 11): peak RssAnon <= 2 x f32 + 1 GiB with N = 2; N = 4 at most 0.25 x f32 above N = 2 (streamed)");
    } finally {
      if (!keep && !generateOnly) {
        FileTrees.delete(root);
      }
    }
    return 0;
  }

  private static void generate(RandomLlama llama, Path root, int sources, boolean withTokenizer) throws IOException {
    List<String> texts = new ArrayList<>();
    Path data = Files.createDirectories(root.resolve("data"));
    for (String name : TEXTS) {
      Files.copy(LICENSES.resolve(name), data.resolve(name + ".txt"));
      texts.add(Files.readString(LICENSES.resolve(name)));
    }
    Path tokenizer = withTokenizer ? RandomLlama.tokenizer(root.resolve("tokenizer.json"), texts, 1024) : null;
    for (int i = 0; i <= sources; i++) {
      llama.write(root.resolve(i == 0 ? "base" : "source-" + i), i, tokenizer);
    }
  }

  /** N sources, source i on the text task of license i (validation: its first windows; test: the next license). */
  private static Path spec(Path root, int n, String mode) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("id: bench-memory-").append(n).append('-').append(mode).append('\n')
        .append("base_model: base\nmodels:\n");
    for (int i = 1; i <= n; i++) {
      yaml.append("  - {path: source-").append(i).append(", task: text-").append(i).append("}\n");
    }
    yaml.append("validation: {samples_per_task: 4}\nbatch_size: 4\nseed: 1\noutput: out-").append(n).append('\n')
        .append("cache_sources_on_device: \"").append(mode).append("\"\ntasks:\n");
    for (int i = 1; i <= n; i++) {
      yaml.append("  text-").append(i).append(": {type: text, validation: data/").append(TEXTS.get(i - 1))
          .append(".txt, test: data/").append(TEXTS.get(i % TEXTS.size())).append(".txt, max_tokens: 64}\n");
    }
    Path file = root.resolve("spec-" + n + "-" + mode + ".yaml");
    Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** The 1-minute load average when the row finished (the machine may be shared: timings scale with it). */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private JsonNode measure(Path spec) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = List.of(java, "-Xmx" + xmx, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        AutoMerge.class.getName(), "bench", "search-memory", "--child", spec.toString(), "--trials", Integer.toString(trials));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        } else {
          tail.add(line);
          if (tail.size() > 20) {
            tail.remove(0);
          }
        }
      }
    }
    int rc = process.waitFor();
    if (rc != 0 || result == null) {
      throw new IllegalStateException("measuring " + spec + " failed (exit " + rc + "):\n" + String.join("\n", tail));
    }
    return ModelCheckpoints.JSON.readTree(result);
  }

}
