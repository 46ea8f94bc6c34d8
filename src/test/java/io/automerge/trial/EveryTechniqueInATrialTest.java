package io.automerge.trial;

import io.automerge.eval.TinyCctPair;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeRecipe;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.Tensors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every technique a search can choose runs as a resident trial, and that trial computes the very
 * tensors `automerge merge` writes for the same choice as a recipe block.
 */
class EveryTechniqueInATrialTest {
  @TempDir Path tmp;

  static List<String> techniques() {
    return SearchSpec.techniquesFor(2);
  }

  @ParameterizedTest
  @MethodSource("techniques")
  void residentTrialEqualsTheRecipeMerge(String technique) {
    TinyCctPair pair = TinyCctPair.shared();
    List<Path> sources = List.of(pair.tops(), pair.others());
    BlockChoice choice = new BlockChoice(technique, List.of(0.3, 0.7),
        SearchSpec.DENSITY_TECHNIQUES.contains(technique) ? 0.7 : null);
    Path out = tmp.resolve(technique);
    MergeEngine.builder(MergeRecipe.builder().baseModel(pair.base()).models(sources).seed(3)
        .block("all", ".*", technique, choice.toRecipeParameters()).build()).build().run(out, false);

    try (NDManager manager = NDManager.newBaseManager(); Checkpoint merged = Checkpoint.open(out)) {
      ResidentWeights weights = ResidentWeights.load(pair.base(), sources, 3, manager);
      List<String> names = List.copyOf(weights.model().parametersByName().keySet());
      try (NDManager scope = manager.newSubManager()) {
        weights.apply(List.of(BlockMerge.of("all", names, choice, 2)), scope);
      }
      for (String name : names) {
        float[] trial = weights.model().parametersByName().get(name).getArray().toFloatArray();
        float[] file = Tensors.toFloat32(manager, merged.info(name), merged.bytes(name)).toFloatArray();
        assertThat(trial).as("%s / %s", technique, name).isEqualTo(file);
      }
    }
  }
}
