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

  private Segmentation grouped(ArchitectureModel model, String mode, String... roles) {
    model.initialize(manager);
    return Segmenter.segment(model, Segmenter.sampleBatch(model, manager), mode, List.of(roles));
  }

  @Test
  void groupsSplitTheLlamaBlockByRole() {
    ArchitectureModel llama = TinyModels.llama(2, false);
    Segmentation s = grouped(llama, "shape", "attention", "mlp");

    assertThat(s.mode()).isEqualTo("shape groups:attention,mlp");
    assertThat(s.blockNames()).containsExactly("model.attention", "model.mlp", "model.other");
    assertThat(s.block("model.attention").role()).isEqualTo("attention");
    assertThat(s.block("model.attention").tensors()).allMatch(t -> t.contains(".self_attn.")).hasSize(2 * 4);
    assertThat(s.block("model.mlp").tensors()).allMatch(t -> t.contains(".mlp.")).hasSize(2 * 3);
    assertThat(s.block("model.other").tensors()).contains("model.embed_tokens.weight", "model.norm.weight",
        "lm_head.weight", "model.layers.0.input_layernorm.weight");
    assertThat(s.parameters()).isEqualTo(llama.parameterCount());
    assertExactPatterns(llama, s);
  }

  @Test
  void groupsWithLayersGivePerLayerRangePerRoleBlocks() {
    ArchitectureModel llama = TinyModels.llama(3, true);
    Segmentation s = grouped(llama, "layers:2", "attention", "mlp", "norm", "embedding", "head");

    assertThat(s.blockNames()).containsExactly(
        "layers.0-1.norm", "layers.0-1.attention", "layers.0-1.mlp",
        "layers.2.norm", "layers.2.attention", "layers.2.mlp",
        "rest.norm", "rest.embedding");
    assertThat(s.block("layers.2.norm").tensors())
        .containsExactlyInAnyOrder("model.layers.2.input_layernorm.weight", "model.layers.2.post_attention_layernorm.weight");
    assertThat(s.block("rest.embedding").tensors()).containsExactly("model.embed_tokens.weight");
    assertExactPatterns(llama, s);
  }

  @Test
  void groupsOnCctKeepTheTokenizerWholeAndSplitTheEncoder() {
    ArchitectureModel cct = TinyModels.cct(2);
    Segmentation s = grouped(cct, "shape", "attention", "mlp", "norm", "embedding", "head");

    // the convolutional tokenizer has no role: one group, so the block stays as it was
    assertThat(s.block("tokenizer").role()).isNull();
    assertThat(s.blockNames()).contains("encoder.attention", "encoder.mlp", "encoder.norm", "encoder.embedding");
    assertThat(s.blocks()).allMatch(b -> b.tensors().size() > 0);
    assertExactPatterns(cct, s);
  }

  @Test
  void aGroupPatternNamesItsRole() {
    Segmentation s = grouped(TinyModels.llama(2, false), "layers:1", "mlp");
    assertThat(s.block("layers.0.mlp").pattern()).isEqualTo("^(?=(?:model\\.layers\\.0\\.))(?=.*(?:^|\\.)(?:[^.]*(?:mlp|feed_forward|ffn)[^.]*)\\.)");
    assertThat(s.block("layers.0.other").pattern()).startsWith("^(?=(?:model\\.layers\\.0\\.))(?!");
  }

  @Test
  void unknownRoleIsAUserError() {
    assertThatThrownBy(() -> grouped(TinyModels.llama(1, false), "shape", "experts"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("groups: expected roles among");
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
