package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.cli.AutoMerge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every technique against numpy's answers, end to end through `automerge merge`. */
class GoldenMergeTest {
  @TempDir Path tmp;

  static Stream<String> cases() throws IOException {
    return Golden.cases().stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mergeMatchesNumpy(String name) throws IOException {
    Path out = tmp.resolve(name);
    int code = AutoMerge.execute("merge", "--device", "cpu", Golden.recipe(name).toString(), out.toString());

    assertThat(code).isZero();
    Golden.assertMatches(out, Golden.expected(name), name);
    String recipe = Files.readString(Golden.recipe(name));
    if (recipe.contains("llama-base")) {
      Path base = Golden.model("llama-base");
      assertThat(out.resolve("config.json")).hasSameTextualContentAs(base.resolve("config.json"));
      for (String file : List.of("tokenizer.json", "tokenizer_config.json")) { // tokenizer_source: base
        assertThat(out.resolve(file)).hasSameBinaryContentAs(base.resolve(file));
      }
    } else if (recipe.contains("base_model")) {
      assertThat(out.resolve("config.json")).hasSameTextualContentAs(Golden.model("base").resolve("config.json"));
    } else {
      assertThat(out.resolve("config.json")).doesNotExist(); // model a, the reference, has none
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theWrittenRecipeReproducesTheSameBytes(String name) throws IOException {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    assertThat(AutoMerge.execute("merge", "--device", "cpu", Golden.recipe(name).toString(), first.toString())).isZero();
    Path written = first.resolve(MergeEngine.RECIPE_FILE);
    assertThat(AutoMerge.execute("merge", "--device", "cpu", written.toString(), second.toString())).isZero();

    assertThat(Files.readAllBytes(second.resolve("model.safetensors")))
        .isEqualTo(Files.readAllBytes(first.resolve("model.safetensors")));
    assertThat(second.resolve(MergeEngine.RECIPE_FILE)).hasSameTextualContentAs(written);
  }
}
