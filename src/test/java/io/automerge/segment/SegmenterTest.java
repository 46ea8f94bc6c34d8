package io.automerge.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import io.automerge.model.ArchitectureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmenterTest {
  private NDManager manager;

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Segmentation segment(ArchitectureModel model, String mode) {
    model.initialize(manager);
    return Segmenter.segment(model, Segmenter.sampleBatch(model, manager), mode);
  }

  @Test
  void cctCutsAtTheFourThreeTwoDimensionalTransitions() {
    ArchitectureModel model = TinyModels.cct(2);
    Segmentation s = segment(model, "shape");

    assertThat(s.mode()).isEqualTo("shape");
    assertThat(s.blockNames()).containsExactly("tokenizer", "encoder", "pooling_head");
    assertThat(s.blocks()).extracting(Segment::rank).containsExactly(4, 3, 2);
    assertThat(s.block("tokenizer").tensors()).isEqualTo(named(model, "tokenizer."));
    assertThat(s.block("encoder").tensors()).isEqualTo(named(model, "encoder."));
    assertThat(s.block("encoder").children()).containsExactly("encoder.embed", "encoder.layers.0", "encoder.layers.1");
    assertThat(s.block("pooling_head").tensors()).isEqualTo(named(model, "pooling.", "head."));
    assertThat(s.parameters()).isEqualTo(model.parameterCount());
    assertExactPatterns(model, s);
  }

  @Test
  void llamaIsOneBlockBecauseEveryActivationIsThreeDimensional() {
    ArchitectureModel model = TinyModels.llama(3, false);
    Segmentation s = segment(model, "shape");

    assertThat(s.blocks()).hasSize(1);
    Segment only = s.blocks().get(0);
    assertThat(only.name()).isEqualTo("model");
    assertThat(only.rank()).isEqualTo(3);
    assertThat(only.tensors()).containsExactlyElementsOf(model.parametersByName().keySet());
    assertThat(only.tensors()).contains("lm_head.weight", "model.norm.weight", "model.layers.2.mlp.down_proj.weight");
    assertExactPatterns(model, s);
  }

  @Test
  void wholeIsOneBlockNamedAll() {
    ArchitectureModel model = TinyModels.cct(1);
    Segmentation s = segment(model, "whole");

    assertThat(s.blockNames()).containsExactly("all");
    assertThat(s.blocks().get(0).rank()).isEqualTo(2);
    assertThat(s.blocks().get(0).tensors()).containsExactlyElementsOf(model.parametersByName().keySet());
    assertExactPatterns(model, s);
  }

  @Test
  void layersGroupsKLayersAndPutsTheRestInOneBlock() {
    ArchitectureModel llama = TinyModels.llama(3, false);
    Segmentation s = segment(llama, "layers:2");

    assertThat(s.mode()).isEqualTo("layers:2");
    assertThat(s.blockNames()).containsExactly("layers.0-1", "layers.2", "rest");
    assertThat(s.block("layers.0-1").tensors()).isEqualTo(named(llama, "model.layers.0.", "model.layers.1."));
    assertThat(s.block("layers.2").tensors()).isEqualTo(named(llama, "model.layers.2."));
    assertThat(Set.copyOf(s.block("rest").tensors()))
        .containsExactlyInAnyOrder("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight");
    assertExactPatterns(llama, s);
  }

  @Test
  void layersOfOneOnCct() {
    ArchitectureModel cct = TinyModels.cct(2);
    Segmentation s = segment(cct, "layers:1");

    assertThat(s.blockNames()).containsExactly("layers.0", "layers.1", "rest");
    assertThat(s.block("layers.1").tensors()).isEqualTo(named(cct, "encoder.layers.1."));
    assertThat(s.block("rest").tensors()).isEqualTo(named(cct, "tokenizer.", "encoder.embed", "pooling.", "head."));
    assertExactPatterns(cct, s);
  }

  @Test
  void tiedEmbeddingsBelongToTheEmbeddingOnly() {
    ArchitectureModel llama = TinyModels.llama(2, true);
    Segmentation s = segment(llama, "layers:1");

    assertThat(s.block("rest").tensors()).containsExactly("model.embed_tokens.weight", "model.norm.weight");
    assertExactPatterns(llama, s);
  }

  @Test
  void patternsAreReadable() {
    Segmentation s = segment(TinyModels.cct(2), "shape");
    assertThat(s.block("tokenizer").pattern()).isEqualTo("^(?:tokenizer\\.)");
    assertThat(s.block("encoder").pattern()).isEqualTo("^(?:encoder\\.layers\\.(?:0|1)\\.|encoder\\.embed_positions\\.[^.]+$)");
    assertThat(s.block("pooling_head").pattern()).isEqualTo("^(?:(?:pooling\\.norm|pooling\\.attention|head)\\.[^.]+$)");
  }

  @Test
  void patternsDoNotConfuseLayerOneWithLayerTen() {
    ArchitectureModel llama = TinyModels.llama(11, false);
    Segmentation s = segment(llama, "layers:1");
    assertThat(s.blocks()).hasSize(12);
    assertExactPatterns(llama, s);
  }

  @Test
  void unknownModeIsAUserError() {
    ArchitectureModel model = TinyModels.cct(1);
    assertThatThrownBy(() -> segment(model, "layers"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shape, whole or layers:K");
    assertThatThrownBy(() -> segment(TinyModels.cct(1), "layers:0"))
        .isInstanceOf(InvalidInputException.class);
  }

  /** Each block's regex, used as a recipe uses it (find), selects exactly that block's tensors. */
  private static void assertExactPatterns(ArchitectureModel model, Segmentation s) {
    List<String> seen = new ArrayList<>();
    for (Segment block : s.blocks()) {
      Pattern p = Pattern.compile(block.pattern());
      List<String> found = model.parametersByName().keySet().stream().filter(n -> p.matcher(n).find()).toList();
      assertThat(found).as("tensors found by %s", block.pattern()).containsExactlyInAnyOrderElementsOf(block.tensors());
      seen.addAll(block.tensors());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(model.parametersByName().keySet());
  }

  private static List<String> named(ArchitectureModel model, String... prefixes) {
    return model.parametersByName().keySet().stream()
        .filter(n -> java.util.Arrays.stream(prefixes).anyMatch(n::startsWith))
        .collect(Collectors.toList());
  }
}
