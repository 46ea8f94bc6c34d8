package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a user can get a merge wrong ends in one line on stderr naming the file, tensor or
 * field, a non-zero exit, and no output directory (nor a temporary one).
 */
class MergeCommandErrorsTest {
  @TempDir Path tmp;

  /** A tiny valid checkpoint: two float tensors and one int tensor. */
  private static byte[] valid(long[] wShape, boolean withHead) {
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"},");
    long wBytes = 4 * wShape[0] * wShape[1];
    header.append("\"layers.0.w\":{\"dtype\":\"F32\",\"shape\":[").append(wShape[0]).append(',')
        .append(wShape[1]).append("],\"data_offsets\":[0,").append(wBytes).append("]}");
    long end = wBytes;
    if (withHead) {
      header.append(",\"head.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[")
          .append(end).append(',').append(end + 16).append("]}");
      end += 16;
    }
    header.append(",\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[")
        .append(end).append(',').append(end + 16).append("]}}");
    end += 16;
    byte[] data = new byte[(int) end];
    ByteBuffer floats = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < (end - 16) / 4; i++) {
      floats.putFloat(i * 4, 0.1f * i);
    }
    return file(header.toString(), data);
  }

  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return out.putLong(h.length).put(h).put(data).array();
  }

  private static byte[] headerOnly(String tensorJson, int dataBytes) {
    return file("{" + tensorJson + "}", new byte[dataBytes]);
  }

  @BeforeEach
  void models() throws IOException {
    for (String m : new String[] {"base", "a", "b"}) {
      Files.createDirectories(tmp.resolve(m));
      Files.write(tmp.resolve(m).resolve("model.safetensors"), valid(new long[] {2, 3}, true));
    }
  }

  private Path recipe(String text) throws IOException {
    Path path = tmp.resolve("recipe.yaml");
    Files.writeString(path, text);
    return path;
  }

  private static final String TIES = """
      base_model: base
      models: [a, b]
      blocks:
        - {name: all, tensors: '.*', merge_method: ties, parameters: {weights: [0.5, 0.5], density: 0.5}}
      """;

  private record Run(int code, String stderr) {}

  private Run merge(Path recipe, String... extra) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] args = Stream.concat(
          Stream.of("merge", "--device", "cpu", recipe.toString(), tmp.resolve("out").toString()),
          Stream.of(extra)).toArray(String[]::new);
      return new Run(AutoMerge.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  private void assertOneLineFailure(Run run, String... mentions) throws IOException {
    assertThat(run.code()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr().strip().lines()).as(run.stderr()).hasSize(1);
    assertThat(run.stderr()).startsWith("automerge: ").doesNotContain("Exception").contains(mentions);
    assertThat(tmp.resolve("out")).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".out.tmp"));
    }
  }

  static Stream<Arguments> brokenFiles() {
    byte[] good = valid(new long[] {2, 3}, true);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20);
    byte[] headerTooLong = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(10_000).array();
    return Stream.of(
        Arguments.of("truncated file", truncated),
        Arguments.of("header longer than the file", headerTooLong),
        Arguments.of("garbage header", file("this is not json", new byte[8])),
        Arguments.of("range past the end",
            headerOnly("\"layers.0.w\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}", 16)),
        Arguments.of("overlapping ranges",
            headerOnly("\"layers.0.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"head.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}", 24)),
        Arguments.of("unknown dtype",
            headerOnly("\"layers.0.w\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,16]}", 16)),
        Arguments.of("shape not matching the byte range",
            headerOnly("\"layers.0.w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}", 16)),
        Arguments.of("empty file", new byte[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void aBrokenModelFileIsNamed(String what, byte[] bytes) throws IOException {
    Files.write(tmp.resolve("a").resolve("model.safetensors"), bytes);
    assertOneLineFailure(merge(recipe(TIES)), tmp.resolve("a").resolve("model.safetensors").toString());
  }

  @Test
  void shapeMismatchBetweenModelsNamesTensorAndModel() throws IOException {
    Files.write(tmp.resolve("b").resolve("model.safetensors"), valid(new long[] {3, 2}, true));
    assertOneLineFailure(merge(recipe(TIES)), "layers.0.w", tmp.resolve("b").toString(), "shape");
  }

  @Test
  void tensorMissingInOneModelNamesTensorAndModel() throws IOException {
    Files.write(tmp.resolve("b").resolve("model.safetensors"), valid(new long[] {2, 3}, false));
    assertOneLineFailure(merge(recipe(TIES)), "head.w", tmp.resolve("b").toString(), "missing");
  }

  static Stream<Arguments> badRecipes() {
    return Stream.of(
        Arguments.of("unknown merge method", TIES.replace("merge_method: ties", "merge_method: passthrough"),
            new String[] {"blocks[0].merge_method", "passthrough"}),
        Arguments.of("slerp with three models",
            "merge_method: slerp\nbase_model: base\nmodels: [{model: base}, {model: a}, {model: b}]\nparameters: {t: 0.5}\n",
            new String[] {"merge_method", "slerp takes exactly 2 models, the recipe has 3"}),
        Arguments.of("model_stock with one model",
            "merge_method: model_stock\nbase_model: base\nmodels: [{model: base}, {model: a}]\n",
            new String[] {"merge_method", "model_stock needs at least 2 models, the recipe has 1"}),
        Arguments.of("della density + epsilon outside (0, 1)", TIES.replace("merge_method: ties", "merge_method: della")
                .replace("density: 0.5", "density: 0.95"),
            new String[] {"blocks[0].parameters.density", "must lie in (0, 1)", "0.95 +- 0.1"}),
        Arguments.of("della density - epsilon outside (0, 1)", TIES.replace("merge_method: ties", "merge_method: della_linear")
                .replace("density: 0.5", "density: 0.3, epsilon: 0.3"),
            new String[] {"blocks[0].parameters.density", "must lie in (0, 1)"}),
        Arguments.of("breadcrumbs gamma 1", TIES.replace("merge_method: ties", "merge_method: breadcrumbs")
                .replace("density: 0.5", "density: 0.5, gamma: 1"),
            new String[] {"blocks[0].parameters.gamma", "[0, 1)"}),
        Arguments.of("breadcrumbs gamma below 0", TIES.replace("merge_method: ties", "merge_method: breadcrumbs_ties")
                .replace("density: 0.5", "density: 0.5, gamma: -0.1"),
            new String[] {"blocks[0].parameters.gamma", "[0, 1)"}),
        Arguments.of("mergekit passthrough slices", "merge_method: linear\nslices:\n"
                + "  - sources: [{model: a, layer_range: [0, 1]}, {model: b, layer_range: [0, 1]}]\n"
                + "  - sources: [{model: a, layer_range: [0, 1]}, {model: b, layer_range: [0, 1]}]\n",
            new String[] {"slices[1].layer_range", "passthrough"}),
        Arguments.of("tokenizer_source union", "merge_method: linear\nbase_model: base\ntokenizer_source: union\n"
                + "models: [{model: a, parameters: {weight: 1}}, {model: b, parameters: {weight: 1}}]\n",
            new String[] {"tokenizer_source", "only \"base\""}),
        Arguments.of("density above 1", TIES.replace("density: 0.5", "density: 1.5"),
            new String[] {"blocks[0].parameters.density", "(0, 1]"}),
        Arguments.of("density 0", TIES.replace("density: 0.5", "density: 0"),
            new String[] {"blocks[0].parameters.density", "(0, 1]"}),
        Arguments.of("weight count", TIES.replace("weights: [0.5, 0.5]", "weights: [0.2, 0.3, 0.5]"),
            new String[] {"blocks[0].parameters.weights", "3 values for 2 models"}),
        Arguments.of("linear weights sum to 0",
            TIES.replace("merge_method: ties", "merge_method: linear")
                .replace("weights: [0.5, 0.5], density: 0.5", "weights: [1, -1]"),
            new String[] {"blocks[0].parameters.weights", "sum to 0"}),
        Arguments.of("missing model path", TIES.replace("models: [a, b]", "models: [a, nowhere]"),
            new String[] {"models[1]", "nowhere", "does not exist"}),
        Arguments.of("bad regex", TIES.replace("tensors: '.*'", "tensors: '[('"),
            new String[] {"blocks[0].tensors", "[("}),
        Arguments.of("malformed YAML", "base_model: base\nmodels: [a, b\nblocks: {",
            new String[] {"recipe.yaml", "malformed YAML"}),
        Arguments.of("tensor matched by no block", TIES.replace("tensors: '.*'", "tensors: '^layers'"),
            new String[] {"head.w", "no block"}),
        Arguments.of("unknown parameter", TIES.replace("density: 0.5", "density: 0.5, denisty: 0.5"),
            new String[] {"blocks[0].parameters.denisty", "unknown parameter"}),
        Arguments.of("ties without base", TIES.replace("base_model: base\n", ""),
            new String[] {"blocks[0] (all).merge_method", "base_model"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRecipes")
  void aBadRecipeNamesFileAndField(String what, String text, String[] mentions) throws IOException {
    Path recipe = recipe(text);
    Run run = merge(recipe);
    assertOneLineFailure(run, mentions);
    if (!what.equals("tensor matched by no block")) { // found while merging, not while parsing
      assertThat(run.stderr()).contains(recipe.toString());
    }
  }

  @Test
  void anExistingNonEmptyOutputIsRefusedWithoutOverwrite() throws IOException {
    Files.createDirectories(tmp.resolve("out"));
    Files.writeString(tmp.resolve("out").resolve("keep.txt"), "mine");
    Run run = merge(recipe(TIES));
    assertThat(run.code()).isNotZero();
    assertThat(run.stderr()).contains("--overwrite");
    assertThat(tmp.resolve("out").resolve("keep.txt")).hasContent("mine");

    assertThat(merge(recipe(TIES), "--overwrite").code()).isZero();
    assertThat(tmp.resolve("out").resolve("keep.txt")).doesNotExist();
    assertThat(tmp.resolve("out").resolve("model.safetensors")).exists();
  }

  @Test
  void debugPrintsTheStackTrace() throws IOException {
    Run run = merge(recipe(TIES.replace("density: 0.5", "density: 1.5")), "--debug");
    assertThat(run.code()).isNotZero();
    assertThat(run.stderr()).contains("InvalidInputException").contains("\tat ");
  }

  @Test
  void shardedOutputAndSizeOption() throws IOException {
    assertThat(merge(recipe(TIES), "--shard-size", "30B").code()).isZero();
    assertThat(tmp.resolve("out").resolve("model.safetensors.index.json")).exists();
    Run bad = merge(recipe(TIES), "--overwrite", "--shard-size", "lots");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.stderr()).contains("--shard-size");
  }
}
