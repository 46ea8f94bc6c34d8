package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.cli.AutoMerge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DARE output bytes depend on the seed and nothing else: not the run, not the block order. */
class DareReproducibilityTest {
  @TempDir Path tmp;

  private Path recipe(String file, long seed, boolean layersFirst) throws IOException {
    String layers = "  - {name: layers, tensors: '^layers\\.', merge_method: dare_ties,"
        + " parameters: {weights: [0.5, 0.5], density: 0.5}}\n";
    String rest = "  - {name: rest, tensors: '^(?!layers\\.)', merge_method: dare_linear,"
        + " parameters: {weights: [0.7, 0.3], density: 0.6}}\n";
    String text = "base_model: " + Golden.model("base") + "\n"
        + "models: [" + Golden.model("a") + ", " + Golden.model("b") + "]\n"
        + "seed: " + seed + "\n"
        + "blocks:\n" + (layersFirst ? layers + rest : rest + layers);
    Path path = tmp.resolve(file);
    Files.writeString(path, text);
    return path;
  }

  private byte[] merge(Path recipe, String out) throws IOException {
    Path dir = tmp.resolve(out);
    assertThat(AutoMerge.execute("merge", "--device", "cpu", recipe.toString(), dir.toString())).isZero();
    return Files.readAllBytes(dir.resolve("model.safetensors"));
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherMaskBlockOrderIrrelevant() throws IOException {
    byte[] first = merge(recipe("a.yaml", 7, true), "first");
    byte[] again = merge(recipe("a.yaml", 7, true), "again");
    byte[] swapped = merge(recipe("b.yaml", 7, false), "swapped");
    byte[] otherSeed = merge(recipe("c.yaml", 8, true), "other");

    assertThat(again).isEqualTo(first);
    assertThat(swapped).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }
}
