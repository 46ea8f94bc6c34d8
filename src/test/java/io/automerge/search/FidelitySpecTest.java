package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fidelity:} in a YAML spec: read as written, and every bad value refused in one line naming it. */
class FidelitySpecTest {
  @TempDir Path dir;

  @BeforeEach
  void models() throws IOException {
    for (String m : new String[] {"base", "a", "b"}) {
      Files.createDirectories(dir.resolve("models").resolve(m));
    }
  }

  private SearchSpec load(String fidelity) throws IOException {
    Path file = dir.resolve("spec.yaml");
    Files.writeString(file, """
        id: demo
        base_model: models/base
        models:
          - {path: models/a, task: "fashion-mnist:tops"}
          - {path: models/b, task: "fashion-mnist:others"}
        validation: {samples_per_task: 1000}
        output: out
        """ + fidelity);
    return SearchSpec.load(file);
  }

  @Test
  void readsMinSamplesEtaAndBrackets() throws IOException {
    SearchSpec spec = load("fidelity: {min_samples: 100, eta: 3, brackets: 2}\n");
    assertThat(spec.fidelity()).isEqualTo(new Fidelity(100, 3, 2));
    assertThat(spec.fidelity().rungs(1000)).containsExactly(111, 333, 1000);
    assertThat(load("fidelity: {min_samples: 100}\n").fidelity().eta()).isEqualTo(Fidelity.DEFAULT_ETA);
    assertThat(load("").fidelity()).isNull();
  }

  @Test
  void anExperimentsFixedRunScoresEveryPlanOnTheWholeSample() throws IOException {
    SearchSpec spec = load("fidelity: {min_samples: 100, eta: 3}\n");
    var plan = io.automerge.experiment.ExperimentPlan.of(spec, java.util.Set.of("1", "default"), 1, java.util.List.of());
    assertThat(plan.runs().get(0).spec().fidelity()).isNull();
    assertThat(plan.runs().get(1).spec().fidelity()).isEqualTo(spec.fidelity());
  }

  @Test
  void badValuesAreOneLineNamingTheField() {
    String where = dir.resolve("spec.yaml") + ": ";
    assertThatThrownBy(() -> load("fidelity: {min_samples: 2000, eta: 3}\n")).isInstanceOf(InvalidInputException.class)
        .hasMessage(where + "fidelity.min_samples: 2000 × eta 3 exceeds validation.samples_per_task 1000 (no rung below the full sample)");
    assertThatThrownBy(() -> load("fidelity: {min_samples: 100, eta: 1}\n"))
        .hasMessage(where + "fidelity.eta: expected an integer >= 2, the factor between rungs (got 1)");
    assertThatThrownBy(() -> load("fidelity: {eta: 3}\n"))
        .hasMessage(where + "fidelity.min_samples: required, a positive number of validation samples per task (got null)");
    assertThatThrownBy(() -> load("fidelity: {min_samples: 100, brackets: 0}\n"))
        .hasMessage(where + "fidelity.brackets: expected 1 to 3 for these samples (got 0)");
    assertThatThrownBy(() -> load("fidelity: {min_samples: 100, etas: 3}\n"))
        .isInstanceOf(InvalidInputException.class).message().doesNotContain("\n").contains("etas");
  }
}
