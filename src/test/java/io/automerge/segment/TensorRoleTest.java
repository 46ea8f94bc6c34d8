package io.automerge.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorRoleTest {
  @ParameterizedTest
  @CsvSource({
      "model.layers.3.self_attn.q_proj.weight, ATTENTION",
      "model.layers.3.self_attn.o_proj.weight, ATTENTION",
      "model.layers.3.self_attn.q_norm.weight, NORM",
      "model.layers.3.mlp.gate_proj.weight, MLP",
      "model.layers.3.input_layernorm.weight, NORM",
      "model.layers.3.post_attention_layernorm.weight, NORM",
      "model.norm.weight, NORM",
      "model.embed_tokens.weight, EMBEDDING",
      "lm_head.weight, HEAD",
      "transformer.h.0.attn.c_attn.weight, ATTENTION",
      "transformer.h.0.ln_1.weight, NORM",
      "transformer.wte.weight, EMBEDDING",
      "encoder.layers.0.attention.qkv.weight, ATTENTION",
      "encoder.layers.0.ffn.fc1.weight, MLP",
      "encoder.embed_positions.weight, EMBEDDING",
      "pooling.attention.weight, ATTENTION",
      "head.weight, HEAD",
      "tokenizer.conv.0.weight, OTHER",
      // a parameter's own name is not a module: "norm" here names no module
      "model.layers.0.weight_norm, OTHER"})
  void rolesComeFromModulesOnTheName(String name, TensorRole role) {
    assertThat(TensorRole.of(name)).isEqualTo(role);
  }

  @ParameterizedTest
  @CsvSource({
      "model.layers.3.self_attn.q_proj.weight",
      "model.layers.3.self_attn.q_norm.weight",
      "model.layers.3.mlp.down_proj.weight",
      "model.norm.weight",
      "lm_head.weight",
      "model.embed_tokens.weight",
      "tokenizer.conv.0.weight"})
  void conditionsHoldExactlyForTheTensorsOfTheirRole(String name) {
    for (TensorRole role : TensorRole.values()) {
      Pattern condition = Pattern.compile("^" + String.join("", role.conditions()));
      assertThat(condition.matcher(name).find())
          .as("%s's condition on %s", role, name)
          .isEqualTo(TensorRole.of(name) == role);
    }
  }

  @Test
  void parseNamesTheFieldAndTheChoices() {
    assertThat(TensorRole.parse("mlp", "groups")).isEqualTo(TensorRole.MLP);
    assertThatThrownBy(() -> TensorRole.parse("other", "spec.yaml: groups"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("spec.yaml: groups: expected roles among [norm, embedding, head, attention, mlp] (got other)");
    assertThatThrownBy(() -> TensorRole.parse("Attention", "groups")).isInstanceOf(InvalidInputException.class);
  }
}
