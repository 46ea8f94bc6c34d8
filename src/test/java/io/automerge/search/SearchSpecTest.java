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

class SearchSpecTest {
  @TempDir Path dir;

  @BeforeEach
  void models() throws IOException {
    for (String m : new String[] {"base", "a", "b"}) {
      Files.createDirectories(dir.resolve("models").resolve(m));
    }
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("spec.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static final String MINIMAL = """
      id: demo
      base_model: models/base
      models:
        - {path: models/a, task: "fashion-mnist:tops"}
        - {path: models/b, task: "fashion-mnist:others"}
      output: out
      """;

  @Test
  void defaultsAndPathsRelativeToTheSpec() throws IOException {
    SearchSpec spec = SearchSpec.load(write(MINIMAL));
    assertThat(spec.baseModel()).isEqualTo(dir.resolve("models/base").toString());
    assertThat(spec.output()).isEqualTo(dir.resolve("out").toString());
    assertThat(spec.segmentation()).isEqualTo("shape");
    assertThat(spec.techniques()).isEqualTo(SearchSpec.DEFAULT_TECHNIQUES);
    assertThat(spec.density()).containsExactly(0.5, 1.0);
    assertThat(spec.trials()).isEqualTo(200);
    assertThat(spec.initial()).isEqualTo(20);
    assertThat(spec.validation().samplesPerTask()).isEqualTo(1000);
    assertThat(spec.workerCount()).isZero();
    assertThat(spec.objective()).isEqualTo(SearchSpec.DEFAULT_OBJECTIVE);
    assertThat(spec.weights()).isEqualTo(SearchSpec.DEFAULT_WEIGHTS);
    assertThat(spec.lambda()).isEqualTo(SearchSpec.DEFAULT_LAMBDA);
    assertThat(spec.rescore()).isEqualTo(SearchSpec.DEFAULT_RESCORE);
    assertThat(spec.warmStart()).isEqualTo(SearchSpec.DEFAULT_WARM_START);
    assertThat(spec.report().baselines()).isTrue();
    assertThat(spec.tasks()).containsExactly("fashion-mnist:tops", "fashion-mnist:others");
    assertThat(spec.groups()).isEmpty();
    assertThat(spec.space(java.util.List.of("a", "b")).techniquesSearching("density")).containsExactlyInAnyOrder("ties", "dare_linear", "dare_ties");
  }

  @Test
  void everyRegisteredTechniqueIsSearchableAndTunedAsDeclared() throws IOException {
    SearchSpec spec = SearchSpec.load(write(MINIMAL + "techniques: [slerp, breadcrumbs, breadcrumbs_ties, della, della_linear, model_stock, ties]\n"));
    SearchSpace space = spec.space(java.util.List.of("all"));
    assertThat(space.techniquesSearching("density"))
        .containsExactlyInAnyOrder("breadcrumbs", "breadcrumbs_ties", "della", "della_linear", "ties");
    // each technique's own knobs, as declared: per-model density first, then the global ones in order of declaration
    assertThat(space.scalars()).containsExactly("density", "t", "gamma", "epsilon");
    assertThat(space.techniquesSearching("t")).containsExactly("slerp");
    assertThat(space.range("breadcrumbs", "gamma")).isEqualTo(io.automerge.merge.ParameterSpec.Range.closed(0, 0.1));
    assertThat(space.range("della", "epsilon")).isEqualTo(io.automerge.merge.ParameterSpec.Range.closed(0, 0.2));
    assertThat(space.range("della", "density")).isEqualTo(io.automerge.merge.ParameterSpec.Range.closed(0.5, 1.0));
    assertThat(space.blockWidth()).isEqualTo(1 + 2 + 4); // technique, 2 free weights, density, t, gamma, epsilon
    // DELLA keeps density +- epsilon inside (0, 1), whatever the search proposes
    Rng rng = new Rng(4);
    for (int i = 0; i < 300; i++) {
      BlockChoice choice = space.decode(space.randomPoint(rng)).block("all");
      if (choice.technique().startsWith("della")) {
        double d = choice.density();
        double e = choice.parameter("epsilon");
        assertThat(d - e).isGreaterThan(0);
        assertThat(d + e).isLessThan(1);
      }
    }
    // DELLA's density is kept inside (epsilon, 1 - epsilon) when the search proposes 1
    assertThat(new BlockChoice("della", java.util.List.of(0.5, 0.5), 1.0).toRecipeParameters().get("density"))
        .isEqualTo(0.89);
  }

  @Test
  void slerpNeedsExactlyTwoSourceModels() throws IOException {
    Files.createDirectories(dir.resolve("models").resolve("c"));
    String three = MINIMAL.replace("output: out", "  - {path: models/c, task: \"fashion-mnist:tops\"}\noutput: out")
        + "techniques: [linear, slerp]\n";
    assertThatThrownBy(() -> SearchSpec.load(write(three)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("techniques: slerp takes 2 source models, this spec has 3");
  }

  @Test
  void theWorstObjectiveIsAccepted() throws IOException {
    assertThat(SearchSpec.load(write(MINIMAL + "objective: worst\n")).objective()).isEqualTo("worst");
  }

  @Test
  void aSpecPersistedBeforeTheNewFieldsReadsAsThePapersSearch() throws Exception {
    SearchSpec spec = SearchSpec.load(write(MINIMAL + "objective: harmonic\nrescore: 0\nweights: simplex\nwarm_start: false\n"));
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) io.automerge.util.Json.mapper().valueToTree(spec);
    for (String field : java.util.List.of("objective", "pd_penalty", "weights", "weight_range", "lambda", "rescore", "report",
        "warm_start")) {
      node.remove(field);
    }
    assertThat(io.automerge.util.Json.mapper().treeToValue(node, SearchSpec.class)).isEqualTo(spec);
  }

  @Test
  void searchOptionsAreCheckedAndShapeTheSpace() throws IOException {
    SearchSpec free = SearchSpec.load(write(MINIMAL + "weights: free\nweight_range: [0.2, 1.5]\nlambda: [0.5, 2]\n"));
    SearchSpace space = free.space(java.util.List.of("a", "b"));
    assertThat(space.freeWeights()).isTrue();
    assertThat(space.blockWidth()).isEqualTo(5); // technique, 2 weights, density, lambda
    assertThat(space.techniquesSearching("lambda")).containsExactlyInAnyOrder("task_arithmetic", "ties", "dare_linear", "dare_ties");
    assertThat(free.with(java.util.Map.of("rescore", 2)).rescore()).isEqualTo(2);
    assertError(MINIMAL + "weights: dirichlet\n", "weights");
    assertError(MINIMAL + "weight_range: [1, 0.5]\n", "weight_range");
    assertError(MINIMAL + "lambda: [0, 1]\n", "lambda");
    assertError(MINIMAL + "lambda: [1, 1]\n", "lambda");
    assertError(MINIMAL + "rescore: -1\n", "rescore");
    assertError(MINIMAL + "pd_penalty: -0.5\n", "pd_penalty");
    assertError(MINIMAL + "objective: accuracy\n", "objective");
  }

  @Test
  void paretoSelectsTheExportedMemberByTheDefaultSingleObjectiveUnlessToldOtherwise() throws Exception {
    SearchSpec pareto = SearchSpec.load(write(MINIMAL + "objective: pareto\n"));
    assertThat(pareto.pareto()).isTrue();
    assertThat(pareto.select()).isEqualTo(SearchSpec.DEFAULT_OBJECTIVE);
    assertThat(pareto.scalarObjective()).isEqualTo(SearchSpec.DEFAULT_OBJECTIVE);
    SearchSpec worst = SearchSpec.load(write(MINIMAL + "objective: pareto\nselect: worst\n"));
    assertThat(worst.scalarObjective()).isEqualTo("worst");
    var cbor = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
    assertThat(cbor.readValue(cbor.writeValueAsBytes(worst), SearchSpec.class)).isEqualTo(worst);
    // A single objective has no select; a spec persisted before the field reads as it was.
    SearchSpec single = SearchSpec.load(write(MINIMAL));
    assertThat(single.select()).isNull();
    assertThat(single.scalarObjective()).isEqualTo(single.objective());
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) io.automerge.util.Json.mapper().valueToTree(single);
    node.remove("select");
    assertThat(io.automerge.util.Json.mapper().treeToValue(node, SearchSpec.class)).isEqualTo(single);

    assertError(MINIMAL + "objective: pareto\nselect: best\n", "select: expected one of [harmonic, worst, metrics, loss_gap] (got best)");
    assertError(MINIMAL + "objective: pareto\nselect: pareto\n", "select: expected one of");
    assertError(MINIMAL + "select: worst\n", "select: only with objective: pareto");
    assertError(MINIMAL + "objective: pareto\nselect: [worst]\n", "select: expected");
  }

  @Test
  void aBadSelectEndsTheSearchCommandInOneLineWithExitTwo() throws IOException {
    Path file = write(MINIMAL + "objective: pareto\nselect: accuracy\n");
    java.io.PrintStream old = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      code = io.automerge.cli.AutoMerge.execute("search", file.toString());
    } finally {
      System.setErr(old);
    }
    String stderr = err.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
    assertThat(code).as(stderr).isEqualTo(2);
    assertThat(stderr).isEqualTo("automerge: " + file + ": select: expected one of [harmonic, worst, metrics, loss_gap] (got accuracy)");
  }

  @Test
  void declaredTasksResolveTheirPathsAndSurviveTheJournalsSerialization() throws Exception {
    SearchSpec spec = SearchSpec.load(write("""
        id: declared
        base_model: models/base
        models:
          - {path: models/a, task: code}
          - {path: models/b, task: clothes}
        output: out
        tasks:
          code: {type: text, validation: [data/a.jsonl, data/b.txt], test: data/t.jsonl, max_tokens: 64, tokenizer: tok}
          clothes: {type: image_folder, validation: img/val, test: img/test, labels: {cat: 0}, size: 32, image_mean: 0.5,
                    do_normalize: true, image_std: [0.25]}
        """));
    assertThat(spec.declaredTasks()).containsOnlyKeys("code", "clothes");
    assertThat(spec.declaredTasks().get("code").validation()).containsExactly(dir.resolve("data/a.jsonl").toString(), dir.resolve("data/b.txt").toString());
    assertThat(spec.declaredTasks().get("code").tokenizer()).isEqualTo(dir.resolve("tok").toString());
    assertThat(spec.declaredTasks().get("clothes").size().height()).isEqualTo(32);
    assertThat(spec.declaredTasks().get("clothes").imageMean()).containsExactly(0.5);
    var json = io.automerge.util.Json.mapper();
    assertThat(json.treeToValue(json.valueToTree(spec), SearchSpec.class)).isEqualTo(spec);
    var cbor = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
    assertThat(cbor.readValue(cbor.writeValueAsBytes(spec), SearchSpec.class)).isEqualTo(spec);
  }

  @Test
  void groupsAreRoles() throws IOException {
    SearchSpec spec = SearchSpec.load(write(MINIMAL + "segmentation: layers:4\ngroups: [attention, mlp]\n"));
    assertThat(spec.groups()).containsExactly("attention", "mlp");
  }

  @Test
  void badSpecsNameTheFieldInOneLine() throws IOException {
    assertError(MINIMAL + "bogus: 1\n", "bogus");
    assertError(MINIMAL + "segmentation: layers:0\n", "segmentation");
    assertError(MINIMAL + "density: [0.9, 0.5]\n", "density");
    assertError(MINIMAL + "techniques: [linear, magic]\n", "techniques");
    assertError(MINIMAL + "workers: many\n", "workers");
    assertError(MINIMAL.replace("id: demo", "id: 'no spaces'"), "id");
    assertError(MINIMAL.replace("models/a", "models/missing"), "models[0].path");
    assertError("id: [\n", "malformed YAML");
    assertError(MINIMAL.replace("output: out\n", ""), "output");
    assertError(MINIMAL + "objective: best\n", "objective");
    assertError(MINIMAL + "trials: 0\n", "trials: must be a positive integer (got 0)");
    assertError(MINIMAL + "initial: -1\n", "initial: must be a positive integer");
    assertError(MINIMAL + "colour: red\n", "colour: unknown field (expected one of: base_model, batch_size, cache_sources_on_device, density");
    assertError(MINIMAL.replace("fashion-mnist:others", "fashion-mnist:tops"), "models[1].task: task 'fashion-mnist:tops' is given to more than one model");
    assertError(MINIMAL + "tasks: {t: {type: text, validation: v.txt, test: t.txt, lables: {}}}\n", "tasks.t.lables: unknown field");
    assertError(MINIMAL + "tasks: {t: {type: text, validation: v.txt, max_tokens: lots}}\n", "tasks.t.max_tokens: expected an integer");
    assertError(MINIMAL + "seed: soon\n", "seed: expected an integer");
    assertError(MINIMAL + "density: {min: 0.5}\n", "density: expected a list");
    assertError(MINIMAL + "groups: [attention, experts]\n", "groups: expected roles among [norm, embedding, head, attention, mlp] (got experts)");
    assertError(MINIMAL + "groups: [mlp, mlp]\n", "groups: each role at most once");
    assertError(MINIMAL + "groups: mlp\n", "groups");
    assertError(MINIMAL + "objective: pareto\nfidelity: {min_samples: 100}\n", "fidelity: not with objective: pareto");
  }

  private void assertError(String yaml, String fragment) throws IOException {
    Path file = write(yaml);
    assertThatThrownBy(() -> SearchSpec.load(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(fragment)
        .hasMessageStartingWith(file.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("java.").doesNotContain("io.automerge"));
  }
}
