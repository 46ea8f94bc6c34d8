package io.automerge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void cctChildrenChangeRankFromFourToThreeToTwo() {
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = Architectures.build(TinyModels.cct(), "test").initialize(m);
      assertThat(model.children()).extracting(NamedChild::name).containsExactly("tokenizer", "encoder.embed", "encoder.layers.0", "pooling_head");
      List<NDArray> outputs = model.forwardTraced(m.randomNormal(new Shape(2, 1, 28, 28)));
      assertThat(outputs).extracting(a -> a.getShape().dimension()).containsExactly(4, 3, 3, 2);
      assertThat(outputs.get(3).getShape().getShape()).containsExactly(2, 10);
      assertThat(model.children().get(0).parameterNames()).containsExactly("tokenizer.conv.0.weight", "tokenizer.conv.1.weight");
      assertThat(model.parametersByName()).containsKeys(
          "encoder.layers.0.self_attn.q_proj.weight", "encoder.layers.0.mlp.fc2.bias", "encoder.layers.0.norm1.weight",
          "pooling.attention.weight", "head.weight", "head.bias");
      // Every parameter is owned by exactly one child.
      long owned = model.children().stream().mapToLong(c -> c.parameterNames().size()).sum();
      assertThat(owned).isEqualTo(model.parametersByName().size());
    }
  }

  @Test
  void llamaHasHfNamesGroupedQueryShapesAndThreeDimensionalChildren() {
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = Architectures.build(TinyModels.llama(false), "test").initialize(m);
      assertThat(model.parametersByName().get("model.layers.1.self_attn.q_proj.weight").getShape().getShape()).containsExactly(16, 16);
      assertThat(model.parametersByName().get("model.layers.1.self_attn.k_proj.weight").getShape().getShape()).containsExactly(8, 16);
      assertThat(model.parametersByName()).containsKeys(
          "model.embed_tokens.weight", "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight",
          "model.layers.0.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight",
          "model.layers.0.post_attention_layernorm.weight", "model.norm.weight", "lm_head.weight");
      List<NDArray> outputs = model.forwardTraced(m.randomInteger(0, 256, new Shape(2, 10), DataType.INT64));
      assertThat(outputs).allMatch(a -> a.getShape().dimension() == 3);
      assertThat(outputs.get(outputs.size() - 1).getShape().getShape()).containsExactly(2, 10, 256);

      ArchitectureModel tied = Architectures.build(TinyModels.llama(true), "test").initialize(m);
      assertThat(tied.parametersByName()).doesNotContainKey("lm_head.weight");
    }
  }

  @Test
  void llamaIsCausal() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      ArchitectureModel model = Architectures.build(TinyModels.llama(false), "test").initialize(m);
      long[] ids = {72, 101, 108, 108, 111, 32, 119, 111};
      long[] changed = ids.clone();
      changed[6] = 65;
      float[] a = model.forward(m.create(ids, new Shape(1, 8)), false).toFloatArray();
      float[] b = model.forward(m.create(changed, new Shape(1, 8)), false).toFloatArray();
      // Positions 0..5 cannot see position 6; position 6 and 7 can.
      for (int i = 0; i < 6 * 256; i++) {
        assertThat(b[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
      assertThat(java.util.Arrays.copyOfRange(b, 6 * 256, 8 * 256)).isNotEqualTo(java.util.Arrays.copyOfRange(a, 6 * 256, 8 * 256));
    }
  }

  @Test
  void hfLlamaConfigIsRecognizedByItsArchitecturesList() throws Exception {
    String hf =
        "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\",\"hidden_size\":16,\"intermediate_size\":32,"
            + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":1,\"rms_norm_eps\":1e-05,"
            + "\"rope_theta\":100000.0,\"vocab_size\":300,\"tie_word_embeddings\":true,\"max_position_embeddings\":128,"
            + "\"torch_dtype\":\"bfloat16\",\"bos_token_id\":1}";
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(hf);
    assertThat(Architectures.detect(json, "config.json")).isEqualTo("llama");
    ArchitectureModel model = Architectures.build(json, "config.json");
    assertThat(model.parametersByName().get("model.layers.0.self_attn.v_proj.weight").getShape().getShape()).containsExactly(4, 16);
    assertThat(model.parametersByName().get("model.embed_tokens.weight").getShape().getShape()).containsExactly(300, 16);
  }

  @Test
  void unknownOrBrokenConfigsNameTheField() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(() -> Architectures.build(json.readTree("{\"architecture\":\"resnet\"}"), "x/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("x/config.json")
        .hasMessageContaining("resnet");
    assertThatThrownBy(() -> Architectures.build(json.readTree("{\"architecture\":\"llama\",\"hidden_size\":16}"), "c.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("num_attention_heads");
    assertThatThrownBy(() -> Architectures.build(json.readTree("{\"architecture\":\"cct\",\"conv_channels\":[8,10],\"num_attention_heads\":4}"), "c.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("divisible");
  }

  @Test
  void otherHfArchitecturesAndRopeScalingsAreRefusedInOneLine() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(() -> Architectures.build(json.readTree("{\"architectures\":[\"GPT2LMHeadModel\"],\"model_type\":\"gpt2\"}"), "gpt2/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("gpt2/config.json: architecture GPT2LMHeadModel is not supported (supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, \"architecture\": \"cct\")");
    String yarn =
        "{\"architectures\":[\"Qwen2ForCausalLM\"],\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":1,"
            + "\"num_attention_heads\":4,\"num_key_value_heads\":2,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0}}";
    assertThatThrownBy(() -> Architectures.build(json.readTree(yarn), "q/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("q/config.json: rope_scaling type 'yarn' is not supported (supported: default, linear, llama3)");
    String noFactor = yarn.replace("\"type\":\"yarn\",\"factor\":4.0", "\"rope_type\":\"llama3\",\"low_freq_factor\":1.0,\"high_freq_factor\":4.0");
    assertThatThrownBy(() -> Architectures.build(json.readTree(noFactor), "q/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("q/config.json: missing field 'rope_scaling.factor'");
    assertThatThrownBy(() -> Architectures.build(json.readTree(yarn.replace("\"rope_scaling\"", "\"hidden_act\":\"gelu\",\"x\"")), "q/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("q/config.json: hidden_act 'gelu' is not supported (only silu)");
  }

  @Test
  void familiesPutTheirBiasesWhereTransformersDoes() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String base = "\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"vocab_size\":40";
    var qwen = Architectures.build(json.readTree("{\"architectures\":[\"Qwen2ForCausalLM\"]," + base + "}"), "c").parametersByName();
    assertThat(qwen).containsKeys("model.layers.0.self_attn.q_proj.bias", "model.layers.0.self_attn.k_proj.bias", "model.layers.0.self_attn.v_proj.bias")
        .doesNotContainKeys("model.layers.0.self_attn.o_proj.bias", "model.layers.0.mlp.up_proj.bias");
    var llama = Architectures.build(json.readTree("{\"architectures\":[\"LlamaForCausalLM\"],\"attention_bias\":true,\"mlp_bias\":true," + base + "}"), "c").parametersByName();
    assertThat(llama).containsKeys("model.layers.0.self_attn.o_proj.bias", "model.layers.0.mlp.down_proj.bias");
    var mistral = Architectures.build(json.readTree("{\"architectures\":[\"MistralForCausalLM\"],\"attention_bias\":true," + base + "}"), "c").parametersByName();
    assertThat(mistral.keySet()).noneMatch(n -> n.endsWith(".bias"));
    // Our own configs, old and new, still load; the new ones are plain HF configs.
    ObjectNode ours = TinyModels.llama(false);
    assertThat(ours.has("architecture")).isFalse();
    assertThat(ours.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
    ours.put("architecture", "llama");
    assertThat(Architectures.build(ours, "old").architecture()).isEqualTo("llama");
  }
}
