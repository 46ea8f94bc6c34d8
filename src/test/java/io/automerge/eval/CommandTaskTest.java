package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import io.automerge.data.CommandTask;
import io.automerge.data.Split;
import io.automerge.data.TaskSpecs;
import io.automerge.tensor.Checkpoint;
import io.automerge.trial.ScratchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command tasks run a real program (python3 + numpy) on checkpoint directories. */
class CommandTaskTest {
  static final Path EVALUATOR = resource("/evaluators/weight_distance.py");
  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(CommandTaskTest.class.getResource(name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private CommandTask task(String yaml, Path model) throws Exception {
    Path spec = Files.writeString(dir.resolve("spec.yaml"), "tasks:\n  near:\n" + yaml.indent(4));
    return (CommandTask) ModelTasks.resolve(TaskSpecs.load(spec), model, "near", EnumSet.of(Split.VAL));
  }

  @Test
  void theLastStdoutLineIsTheScoreAndPlaceholdersAreReplaced() throws Exception {
    TinyCctPair pair = TinyCctPair.shared();
    CommandTask task = task("type: command\ncommand: [python3, " + EVALUATOR + ", \"{model}\", \"{split}\", " + pair.others()
        + "]\nlower_is_better: [distance]\ntimeout_s: 60\n", pair.tops());
    assertThat(task.lowerIsBetter()).containsExactly("distance");
    assertThat(task.argv(pair.tops(), Split.TEST)).containsExactly("python3", EVALUATOR.toString(), pair.tops().toString(), "test",
        pair.others().toString());
    CommandTask.Result self = task.run(pair.others(), Split.VAL);
    assertThat(self.loss()).isEqualTo(1.0);
    assertThat(self.metrics()).containsEntry("closeness", 1.0).containsEntry("distance", 1.0);
    CommandTask.Result val = task.run(pair.tops(), Split.VAL);
    CommandTask.Result test = task.run(pair.tops(), Split.TEST);
    assertThat(val.loss()).isGreaterThan(1.0);
    assertThat(test.loss()).isGreaterThan(1.0).isNotEqualTo(val.loss());
  }

  @Test
  void aFailingProgramFailsWithItsLastStderrLine() throws Exception {
    Path model = TinyCctPair.shared().tops();
    CommandTask exits = task("type: command\ncommand: [python3, -c, \"import sys; print('warming up', file=sys.stderr); "
        + "print('no GPU here', file=sys.stderr); sys.exit(3)\"]\n", model);
    assertThatThrownBy(() -> exits.run(model, Split.VAL)).isInstanceOf(CommandTask.Failed.class)
        .hasMessage("task near: python3 exited with 3: no GPU here");
    CommandTask prose = task("type: command\ncommand: [python3, -c, \"print('{\\\"loss\\\": 1}'); print('done')\"]\n", model);
    assertThatThrownBy(() -> prose.run(model, Split.VAL)).isInstanceOf(CommandTask.Failed.class)
        .hasMessageContaining("printed no {\"loss\": x, \"metrics\": {...}} as its last stdout line (got: done)");
    CommandTask slow = task("type: command\ncommand: [python3, -c, \"import time, sys; print('sleeping', file=sys.stderr, flush=True); "
        + "time.sleep(30)\"]\ntimeout_s: 1\n", model);
    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.run(model, Split.VAL)).isInstanceOf(CommandTask.Failed.class)
        .hasMessage("task near: python3 timed out after 1 s: sleeping");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
  }

  @Test
  void aProgramThatIsNotThereIsRefusedBeforeAnythingRuns() throws Exception {
    Path model = TinyCctPair.shared().tops();
    assertThatThrownBy(() -> task("type: command\ncommand: [no-such-evaluator, \"{model}\"]\n", model))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("tasks.near.command: command 'no-such-evaluator' not found on PATH");
    assertThatThrownBy(() -> task("type: command\ncommand: [./eval.sh, \"{model}\"]\n", model))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tasks.near.command: ./eval.sh not found or not executable");
  }

  @Test
  void aScratchCheckpointHoldsTheModelInTheBasesDtypeWithItsConfigAndTokenizer() throws Exception {
    TinyLlamaPair pair = TinyLlamaPair.create(dir.resolve("llama"));
    Path written;
    try (NDManager m = NDManager.newBaseManager();
        ScratchCheckpoint scratch = ScratchCheckpoint.write(io.automerge.model.ModelCheckpoints.load(pair.a(), m), pair.base())) {
      written = scratch.dir();
      try (var files = Files.list(written)) {
        assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
            .containsExactly("config.json", "model.safetensors", "tokenizer.json");
      }
      try (Checkpoint out = Checkpoint.open(written); Checkpoint a = Checkpoint.open(pair.a())) {
        assertThat(out.names()).isEqualTo(a.names());
        for (String name : List.of("model.embed_tokens.weight", "model.layers.1.mlp.down_proj.weight")) {
          assertThat(out.info(name).dtype()).isEqualTo(a.info(name).dtype());
          assertThat(out.bytes(name)).isEqualTo(a.bytes(name));
        }
      }
    }
    assertThat(written).doesNotExist();
  }
}
