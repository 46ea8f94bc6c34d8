package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.eval.TinyCctPair;
import io.automerge.eval.TinyLlamaPair;
import io.automerge.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole searches (the real CLI in its own JVM, the local Cassandra node) whose specs declare
 * their tasks: text + completion on a Hugging Face-layout Llama pair with a tokenizer.json, and
 * command tasks run by a Python evaluator on every trial's merged checkpoint.
 */
class DeclaredTaskSearchTest {
  @TempDir static Path dir;
  private static TestCassandra cassandra;

  @BeforeAll
  static void startCassandra() {
    cassandra = TestCassandra.get();
  }

  @Test
  void textAndCompletionTasksOnAnHfLlamaPair() throws Exception {
    TinyLlamaPair pair = TinyLlamaPair.create(dir.resolve("llama"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(TinyLlamaPair.LICENSES.resolve("BSD"), data.resolve("bsd.txt"));
    Files.copy(TinyLlamaPair.LICENSES.resolve("Artistic"), data.resolve("artistic.txt"));
    List<String> lines = TinyLlamaPair.read(TinyLlamaPair.LICENSES.resolve("Apache-2.0")).lines().filter(l -> l.strip().length() > 40).toList();
    List<String> val = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String l = lines.get(i).strip();
      String json = Json.line(Map.of("prompt", l.substring(0, l.length() / 2), "completion", l.substring(l.length() / 2)));
      (i % 2 == 0 ? val : test).add(json);
    }
    Files.write(data.resolve("val.jsonl"), val);
    Files.write(data.resolve("test.jsonl"), test);
    Path spec = Files.writeString(dir.resolve("llama.yaml"), """
        id: llama-tasks-%d
        base_model: llama/base
        models:
          - {path: llama/a, task: licenses}
          - {path: llama/b, task: finish}
        trials: 6
        initial: 4
        validation: {samples_per_task: 20}
        workers: 1
        seed: 3
        output: out-llama
        tasks:
          licenses: {type: text, validation: data/bsd.txt, test: data/artistic.txt, max_tokens: 32}
          finish: {type: completion, validation: data/val.jsonl, test: data/test.jsonl, max_tokens: 48}
        """.formatted(System.currentTimeMillis()));
    JsonNode report = search(spec, dir.resolve("out-llama"));
    System.out.println("declared text + completion search: PR " + report.get("preservation_rate") + ", PD "
        + report.get("preservation_discrepancy") + ", best cost " + report.at("/best/cost"));
    assertThat(report.at("/trials/completed").asInt()).isEqualTo(6);
    for (String task : List.of("licenses", "finish")) {
      assertThat(report.at("/preservation_rate/" + task).asDouble()).as(task).isPositive().isFinite();
      assertThat(report.at("/test/merged/" + task + "/perplexity").asDouble()).isGreaterThan(1);
      assertThat(report.at("/test/merged/" + task + "/token_accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(report.at("/validation/source_loss/" + task).asDouble()).isPositive();
    }
    assertThat(dir.resolve("out-llama/report.md")).content().contains("licenses", "finish");
  }

  @Test
  void commandTasksScoreEveryTrialsMergeAndTheExportedModelScoresWhatTheProgramPrints() throws Exception {
    TinyCctPair pair = TinyCctPair.shared();
    Path evaluator = Path.of(getClass().getResource("/evaluators/weight_distance.py").toURI());
    List<Path> before = scratchDirs();
    Path spec = Files.writeString(dir.resolve("command.yaml"), """
        id: command-tasks-%d
        base_model: %s
        models:
          - {path: %s, task: near-tops}
          - {path: %s, task: near-others}
        trials: 6
        initial: 4
        workers: 1
        seed: 5
        output: out-command
        tasks:
          near-tops: {type: command, command: [python3, %s, "{model}", "{split}", %s], lower_is_better: [distance], timeout_s: 120}
          near-others: {type: command, command: [python3, %s, "{model}", "{split}", %s], lower_is_better: [distance], timeout_s: 120}
        """.formatted(System.currentTimeMillis(), pair.base(), pair.tops(), pair.others(), evaluator, pair.tops(), evaluator, pair.others()));
    JsonNode report = search(spec, dir.resolve("out-command"));
    System.out.println("command-task search: PR " + report.get("preservation_rate") + ", test " + report.at("/test/merged"));
    assertThat(report.at("/trials/completed").asInt()).isEqualTo(6);
    Path model = dir.resolve("out-command/model");
    for (var task : List.of(List.of("near-tops", pair.tops()), List.of("near-others", pair.others()))) {
      String name = (String) task.get(0);
      JsonNode printed = run(evaluator, model, "test", (Path) task.get(1));
      JsonNode merged = report.at("/test/merged/" + name);
      assertThat(merged.get("loss").asDouble()).isEqualTo(printed.get("loss").asDouble());
      assertThat(merged.get("closeness").asDouble()).isEqualTo(printed.at("/metrics/closeness").asDouble());
      assertThat(merged.get("distance").asDouble()).isEqualTo(printed.at("/metrics/distance").asDouble());
      // PR with distance lower-is-better: mean(closeness M/S, distance S/M); the source scores 1 on both.
      JsonNode source = report.at("/test/sources/" + name + "/" + name);
      assertThat(source.get("closeness").asDouble()).isEqualTo(1.0);
      double pr = 100 * (merged.get("closeness").asDouble() / 1.0 + 1.0 / merged.get("distance").asDouble()) / 2;
      assertThat(report.at("/preservation_rate/" + name).asDouble()).isCloseTo(pr, within(1e-9));
    }
    assertThat(scratchDirs()).as("scratch checkpoints are deleted after each trial").isEqualTo(before);
  }

  private static JsonNode search(Path spec, Path out) throws Exception {
    Process p = cassandra.automerge(dir, "search", spec.toString());
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(TestCassandra.lastStderr(dir)).isZero();
    return Json.mapper().readTree(out.resolve("report.json").toFile());
  }

  private static JsonNode run(Path evaluator, Path model, String split, Path target) throws Exception {
    Process p = new ProcessBuilder("python3", evaluator.toString(), model.toString(), split, target.toString()).start();
    List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    return Json.mapper().readTree(lines.get(lines.size() - 1));
  }

  private static List<Path> scratchDirs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("automerge-trial-")).sorted().toList();
    }
  }
}
