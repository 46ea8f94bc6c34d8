package io.automerge.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Hugging Face decoder families that share our Llama-style decoder. They differ only in
 * which projections carry biases, in their config defaults, and in Mistral's sliding window.
 */
public enum DecoderFamily {
  /** Llama 2 / 3 / 3.1: biases only where {@code attention_bias} / {@code mlp_bias} say. */
  LLAMA("LlamaForCausalLM", "llama", 32000, 2048),
  /** Mistral: no biases; attention limited to the last {@code sliding_window} tokens. */
  MISTRAL("MistralForCausalLM", "mistral", 32000, 4096 * 32),
  /** Qwen2 / Qwen2.5: biases on the q, k and v projections, none on o_proj or the MLP. */
  QWEN2("Qwen2ForCausalLM", "qwen2", 151936, 32768);

  private final String hfArchitecture;
  private final String modelType;
  private final int defaultVocabSize;
  private final int defaultMaxPositions;

  DecoderFamily(String hfArchitecture, String modelType, int defaultVocabSize, int defaultMaxPositions) {
    this.hfArchitecture = hfArchitecture;
    this.modelType = modelType;
    this.defaultVocabSize = defaultVocabSize;
    this.defaultMaxPositions = defaultMaxPositions;
  }

  /** The {@code architectures} entry transformers writes, e.g. {@code MistralForCausalLM}. */
  public String hfArchitecture() {
    return hfArchitecture;
  }

  /** The config's {@code model_type}, e.g. {@code mistral}. */
  public String modelType() {
    return modelType;
  }

  int defaultVocabSize() {
    return defaultVocabSize;
  }

  int defaultMaxPositions() {
    return defaultMaxPositions;
  }

  /** transformers' default of {@code num_key_value_heads} when a config leaves it out. */
  int defaultKeyValueHeads(int attentionHeads) {
    return switch (this) {
      case LLAMA -> attentionHeads;
      case MISTRAL -> 8;
      case QWEN2 -> 32;
    };
  }

  public static List<String> hfArchitectures() {
    return Arrays.stream(values()).map(DecoderFamily::hfArchitecture).toList();
  }

  public static Optional<DecoderFamily> byHfArchitecture(String name) {
    return Arrays.stream(values()).filter(f -> f.hfArchitecture.equals(name)).findFirst();
  }

  public static Optional<DecoderFamily> byModelType(String type) {
    return Arrays.stream(values()).filter(f -> f.modelType.equals(type)).findFirst();
  }

  /** The family a config names in {@code architectures}, else by {@code model_type}, else Llama. */
  public static DecoderFamily of(JsonNode config) {
    JsonNode list = config.get("architectures");
    if (list != null && list.isArray()) {
      for (JsonNode n : list) {
        Optional<DecoderFamily> f = byHfArchitecture(n.asText());
        if (f.isPresent()) {
          return f.get();
        }
      }
    }
    JsonNode type = config.get("model_type");
    return type == null ? LLAMA : byModelType(type.asText()).orElse(LLAMA);
  }
}
