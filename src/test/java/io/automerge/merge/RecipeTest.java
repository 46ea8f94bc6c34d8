package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import io.automerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeTest {
  @TempDir Path tmp;

  @Test
  void aRecipeBuiltInCodeRendersToYamlThatParsesBackToTheSameRecipe() throws IOException {
    MergeRecipe recipe = MergeRecipe.builder()
        .baseModel(Golden.model("base"))
        .models(List.of(Golden.model("a"), Golden.model("b"), Golden.model("c")))
        .seed(42)
        .dtype(DType.BF16)
        .block("embed", "^embed\\.", "linear", Map.of("weights", List.of(0.1, 0.2, 0.7)))
        .block("layers", "^layers\\.", "dare_ties",
            Map.of("weights", List.of(1.0 / 3, 1.0 / 3, 1.0 / 3), "densities", List.of(0.9, 0.55, 0.7),
                "lambda", 1.1, "rescale", "l1"))
        .block("rest", ".*", "ties", Map.of("density", 0.6))
        .build();
    Path file = tmp.resolve("r.yaml");
    Files.writeString(file, RecipeWriter.toYaml(recipe));

    RecipeParser.Parsed parsed = RecipeParser.parse(file);
    assertThat(parsed.recipe()).isEqualTo(recipe);
    assertThat(parsed.warnings()).isEmpty();
  }

  @Test
  void defaultsComeFromTheDeclarations() {
    MergeRecipe recipe = MergeRecipe.builder()
        .baseModel(Golden.model("base"))
        .models(List.of(Golden.model("a"), Golden.model("b")))
        .block("t", "^x", "ties", Map.of())
        .block("d", "^y", "dare_ties", Map.of())
        .block("l", ".*", "linear", Map.of("weight", 0.3))
        .build();
    ResolvedParams ties = recipe.blocks().get(0).params();
    assertThat(ties.flag("normalize")).isTrue();
    assertThat(ties.number("lambda")).isEqualTo(1.0);
    assertThat(ties.values("density")).containsExactly(1.0, 1.0);
    assertThat(ties.values("weight")).containsExactly(1.0, 1.0);
    assertThat(recipe.blocks().get(1).params().flag("normalize")).isFalse();
    assertThat(recipe.blocks().get(1).params().choice("rescale")).isEqualTo("inverse_density");
    assertThat(recipe.blocks().get(2).params().values("weight")).containsExactly(0.3, 0.7);
  }

  @Test
  void techniquesDeclareTheirParametersAndSearchRanges() {
    assertThat(MergeMethods.all()).extracting(MergeMethod::name)
        .containsExactly("linear", "task_arithmetic", "ties", "dare_linear", "dare_ties",
            "slerp", "breadcrumbs", "breadcrumbs_ties", "della", "della_linear", "model_stock");
    assertThat(MergeMethods.all()).filteredOn(m -> m.searchedScalars().stream().anyMatch(p -> p.name().equals("density")))
        .extracting(MergeMethod::name)
        .containsExactly("ties", "dare_linear", "dare_ties", "breadcrumbs", "breadcrumbs_ties", "della", "della_linear");
    assertThat(MergeMethods.find("breadcrumbs").orElseThrow().searchedScalars()).extracting(ParameterSpec::name)
        .containsExactly("density", "gamma", "lambda");
    assertThat(MergeMethods.find("breadcrumbs").orElseThrow().parameter("gamma").search())
        .isEqualTo(new ParameterSpec.Search(ParameterSpec.Range.closed(0, 0.1), 0.01, false));
    assertThat(MergeMethods.find("della").orElseThrow().parameter("epsilon").search().range())
        .isEqualTo(ParameterSpec.Range.closed(0, 0.2));
    assertThat(MergeMethods.find("ties").orElseThrow().parameter("lambda").search().onRequest()).isTrue();
    assertThat(MergeMethods.find("ties").orElseThrow().fixedValues()).containsExactly(java.util.Map.entry("density", 0.65));
    MergeMethod slerp = MergeMethods.find("slerp").orElseThrow();
    assertThat(slerp.searchesWeights()).isFalse();
    assertThat(slerp.searchedScalars()).extracting(ParameterSpec::name).containsExactly("t");
    assertThat(MergeMethods.find("model_stock").orElseThrow().searchedParameters()).isEmpty();
    assertThat(MergeMethods.find("breadcrumbs").orElseThrow().parameter("gamma").defaultValue()).isEqualTo(0.01);
    assertThat(MergeMethods.find("della").orElseThrow().parameter("epsilon").defaultValue()).isEqualTo(0.1);
    assertThat(MergeMethods.find("slerp").orElseThrow().searchableWith(3)).isFalse();
    MergeMethod ties = MergeMethods.find("ties").orElseThrow();
    assertThat(ties.parameter("density").perModel()).isTrue();
    assertThat(ties.parameter("density").search().range()).isEqualTo(ParameterSpec.Range.closed(0.5, 1));
    assertThat(ties.parameter("density").valid().contains(0)).isFalse();
    assertThat(ties.parameter("rescale")).isNull();
    assertThat(MergeMethods.find("dare_linear").orElseThrow().parameter("rescale").choices())
        .containsExactly("inverse_density", "l1");
    assertThat(MergeMethods.find("linear").orElseThrow().parameter("density")).isNull();
    GeneralizedTaskArithmetic dareTies = (GeneralizedTaskArithmetic) MergeMethods.find("dare_ties").orElseThrow();
    assertThat(dareTies.sparsification()).isEqualTo(GeneralizedTaskArithmetic.Sparsification.RANDOM);
    assertThat(dareTies.consensus()).isEqualTo(GeneralizedTaskArithmetic.Consensus.SIGN);
  }

  @Test
  void aMergekitRecipeBecomesOneBlockWithPerModelValues() throws IOException {
    RecipeParser.Parsed parsed = RecipeParser.parse(Golden.recipe("mergekit_ties_f16"));
    MergeRecipe recipe = parsed.recipe();
    assertThat(recipe.models()).containsExactly(Golden.model("a"), Golden.model("b")); // base dropped
    assertThat(recipe.dtype()).contains(DType.F16);
    BlockRecipe block = recipe.blocks().get(0);
    assertThat(block.tensors()).isEqualTo(".*");
    assertThat(block.params().values("weight")).containsExactly(0.7, 0.3);
    assertThat(block.params().values("density")).containsExactly(0.6, 0.9);
    assertThat(parsed.warnings()).singleElement().asString().contains("int8_mask");
  }

  @Test
  void aSingleWeightIsAmbiguousForThreeModels() {
    assertThatThrownBy(() -> MergeRecipe.builder()
            .baseModel(Golden.model("base"))
            .models(List.of(Golden.model("a"), Golden.model("b"), Golden.model("c")))
            .block("all", ".*", "task_arithmetic", Map.of("weight", 0.5)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("blocks[0].parameters.weight");
  }
}
