package io.automerge.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.data.Fortunes;
import io.automerge.data.PythonStdlib;
import io.automerge.model.ModelCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeProsePairTest {
  @TempDir Path tmp;

  @BeforeEach
  void smallCorpora() throws Exception {
    // One package of the real standard library and five fortune files keep the tiny run short.
    System.setProperty("automerge.data.python", PythonStdlib.root().resolve("email").toString());
    Path fortunes = Files.createDirectories(tmp.resolve("fortunes"));
    for (String file : List.of("goedel", "magic", "news", "paradoxum", "pets")) {
      Files.copy(Fortunes.DEFAULT_ROOT.resolve(file), fortunes.resolve(file));
    }
    System.setProperty("automerge.data.fortunes", fortunes.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty("automerge.data.python");
    System.clearProperty("automerge.data.fortunes");
  }

  @Test
  void aTinyTrainingWritesCodeAndProseWithOneSharedBpeAndTheSameBytesTwice() throws Exception {
    PairSpec spec = PairSpec.builtIn(PairSpec.CODE_PROSE_LLAMA, 42).scaled(0.005);
    Path first = PairTrainer.train(spec, tmp.resolve("a"), model -> TrainingListener.SILENT);
    Path second = PairTrainer.train(spec, tmp.resolve("b"), model -> TrainingListener.SILENT);

    JsonNode pair = ModelCheckpoints.readJson(first.resolve("pair.json"));
    assertThat(pair.path("models").findValuesAsText("task")).containsExactly("python:stdlib", "fortunes:en");
    assertThat(pair.path("specialization").path("code").path("task").asText()).isEqualTo("python:stdlib");
    assertThat(pair.path("specialization").path("prose").path("other").asText()).isEqualTo("code");
    for (String model : List.of("base", "code", "prose")) {
      for (String file : List.of("model.safetensors", "tokenizer.json", "config.json")) {
        assertThat(Files.readAllBytes(second.resolve(model).resolve(file))).as(model + "/" + file)
            .isEqualTo(Files.readAllBytes(first.resolve(model).resolve(file)));
      }
      assertThat(Files.readAllBytes(first.resolve(model).resolve("tokenizer.json"))).isEqualTo(Files.readAllBytes(first.resolve("tokenizer.json")));
    }
    // The fine-tunes start from the base and move away from it.
    assertThat(Files.readAllBytes(first.resolve("code/model.safetensors"))).isNotEqualTo(Files.readAllBytes(first.resolve("base/model.safetensors")));
  }

  @Test
  void specializationComparesEachFineTuneWithTheOtherOnItsOwnTask() {
    List<PairSpec.TaskModel> models = List.of(new PairSpec.TaskModel("code", "python:stdlib"), new PairSpec.TaskModel("prose", "fortunes:en"));
    List<PairSpecialization.Entry> entries = PairSpecialization.of(models, Map.of(
        "code", Map.of("python:stdlib", 2.0, "fortunes:en", 5.0),
        "prose", Map.of("python:stdlib", 4.0, "fortunes:en", 4.0)));
    assertThat(entries.get(0).reduction()).isEqualTo(0.5);
    assertThat(entries.get(1).reduction()).isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(PairSpecialization.describe("p", entries)).contains("code's val loss on python:stdlib is 50.0 % below prose's");
  }
}
