package io.automerge.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.model.ConfigFields;

/** Hugging Face {@code LlamaConfig} fields, same keys and defaults as transformers. */
public record LlamaConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    boolean mlpBias) {

  public static final String ARCHITECTURE = "llama";

  /** Byte-level model of the fortunes example: 256 symbols, grouped-query attention. */
  public static LlamaConfig smallBytes() {
    return new LlamaConfig(256, 96, 256, 2, 4, 2, 24, 1e-5, 10000.0, 256, false, false, false);
  }

  public static LlamaConfig fromJson(JsonNode json, String where) {
    ConfigFields f = new ConfigFields(json, where);
    int hidden = f.positiveInt("hidden_size", null);
    int heads = f.positiveInt("num_attention_heads", null);
    int kvHeads = f.positiveInt("num_key_value_heads", heads);
    JsonNode scaling = json.get("rope_scaling");
    if (scaling != null && !scaling.isNull()) {
      throw f.invalid("rope_scaling " + scaling + " is not supported (only plain rotary embeddings)");
    }
    if (heads % kvHeads != 0) {
      throw f.invalid("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    int headDim = f.positiveInt("head_dim", hidden / heads);
    if (headDim % 2 != 0) {
      throw f.invalid("head_dim " + headDim + " must be even for rotary embeddings");
    }
    return new LlamaConfig(
        f.positiveInt("vocab_size", 32000),
        hidden,
        f.positiveInt("intermediate_size", null),
        f.positiveInt("num_hidden_layers", null),
        heads,
        kvHeads,
        headDim,
        f.positiveDouble("rms_norm_eps", 1e-6),
        f.positiveDouble("rope_theta", 10000.0),
        f.positiveInt("max_position_embeddings", 2048),
        f.bool("tie_word_embeddings", false),
        f.bool("attention_bias", false),
        f.bool("mlp_bias", false));
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("architecture", ARCHITECTURE);
    o.putArray("architectures").add("LlamaForCausalLM");
    o.put("model_type", ARCHITECTURE);
    o.put("vocab_size", vocabSize);
    o.put("hidden_size", hiddenSize);
    o.put("intermediate_size", intermediateSize);
    o.put("num_hidden_layers", numHiddenLayers);
    o.put("num_attention_heads", numAttentionHeads);
    o.put("num_key_value_heads", numKeyValueHeads);
    o.put("head_dim", headDim);
    o.put("hidden_act", "silu");
    o.put("rms_norm_eps", rmsNormEps);
    o.put("rope_theta", ropeTheta);
    o.putNull("rope_scaling");
    o.put("max_position_embeddings", maxPositionEmbeddings);
    o.put("tie_word_embeddings", tieWordEmbeddings);
    o.put("attention_bias", attentionBias);
    o.put("mlp_bias", mlpBias);
    o.put("torch_dtype", "float32");
    return o;
  }
}
