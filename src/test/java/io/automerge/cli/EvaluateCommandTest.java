package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.cct.CctConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @Test
  void printsOneJsonObjectWithLossAndMetrics(@TempDir Path dir) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(2);
      ArchitectureModel model = Architectures.build(new CctConfig(28, 1, 10, new int[] {4, 8}, 3, 1, 2, 16, 1e-5).toJson(), "t").initialize(m);
      ModelCheckpoints.save(model, dir.resolve("tiny"), Map.of());
    }
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true));
      code = AutoMerge.execute("evaluate", dir.resolve("tiny").toString(), "--task", "fashion-mnist:classes=1,5", "--split", "val", "--limit", "50");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString().trim());
    assertThat(json.get("task").asText()).isEqualTo("fashion-mnist:classes=1,5");
    assertThat(json.get("split").asText()).isEqualTo("val");
    assertThat(json.get("samples").asInt()).isEqualTo(50);
    assertThat(json.get("loss").asDouble()).isPositive();
    assertThat(json.get("metrics").has("top1")).isTrue();
    assertThat(json.get("metrics").has("top5")).isTrue();
  }

  @Test
  void declaredTasksOfASpec(@TempDir Path dir) throws Exception {
    io.automerge.eval.TinyLlamaPair pair = io.automerge.eval.TinyLlamaPair.create(dir.resolve("pair"));
    java.nio.file.Files.copy(io.automerge.eval.TinyLlamaPair.LICENSES.resolve("BSD"), dir.resolve("bsd.txt"));
    Path spec = java.nio.file.Files.writeString(dir.resolve("spec.yaml"), """
        tasks:
          bsd: {type: text, validation: bsd.txt, max_tokens: 16}
          echo: {type: command, command: [python3, -c, "import sys; print('{\\"loss\\": 2.5, \\"metrics\\": {\\"split_is_val\\": ' + str(int(sys.argv[2] == 'val')) + '}}')", "{model}", "{split}"]}
        """);
    JsonNode text = json("evaluate", pair.a().toString(), "--spec", spec.toString(), "--task", "bsd", "--split", "val");
    assertThat(text.get("task").asText()).isEqualTo("bsd");
    assertThat(text.get("samples").asInt()).isGreaterThan(10);
    assertThat(text.at("/metrics/perplexity").asDouble()).isGreaterThan(1);
    JsonNode command = json("evaluate", pair.a().toString(), "--spec", spec.toString(), "--task", "echo", "--split", "val");
    assertThat(command.get("loss").asDouble()).isEqualTo(2.5);
    assertThat(command.at("/metrics/split_is_val").asDouble()).isEqualTo(1.0);
    assertThat(AutoMerge.execute("evaluate", pair.a().toString(), "--spec", spec.toString(), "--task", "bsd")).as("no test split").isEqualTo(2);
    assertThat(AutoMerge.execute("evaluate", pair.a().toString(), "--spec", spec.toString(), "--task", "typo", "--split", "val")).isEqualTo(2);
  }

  private static JsonNode json(String... args) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true));
      code = AutoMerge.execute(args);
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    return new ObjectMapper().readTree(out.toString().trim());
  }

  @Test
  void userErrorsExitWithTwo(@TempDir Path dir) {
    assertThat(AutoMerge.execute("evaluate", dir.resolve("absent").toString(), "--task", "fortunes:en")).isEqualTo(2);
    assertThat(AutoMerge.execute("examples", dir.toString(), "--only", "mnist-mlp")).isEqualTo(2);
    assertThat(AutoMerge.execute("examples", dir.toString(), "--pair", "p", "--arch", "cct", "--tasks", "fortunes:en,fortunes:de")).isEqualTo(2);
  }
}
