package io.automerge.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.model.ConfigFields;

/**
 * A Llama-style decoder as transformers configures it ({@code LlamaConfig}, {@code MistralConfig},
 * {@code Qwen2Config}): same keys and defaults. {@code ropeScaling} is null for plain rotary
 * embeddings; {@code slidingWindow} is 0 when attention sees the whole input.
 */
public record LlamaConfig(
    DecoderFamily family,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    boolean mlpBias,
    int slidingWindow) {

  /** Registry key of every decoder family (the implementation is one). */
  public static final String ARCHITECTURE = "llama";

  /** A plain Llama: no rope scaling, no sliding window. */
  public LlamaConfig(
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
    this(DecoderFamily.LLAMA, vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim,
        rmsNormEps, ropeTheta, null, maxPositionEmbeddings, tieWordEmbeddings, attentionBias, mlpBias, 0);
  }

  /** The fortunes example's size for a vocabulary of {@code vocabSize} ids: grouped-query attention, 2 layers. */
  public static LlamaConfig small(int vocabSize) {
    return new LlamaConfig(vocabSize, 96, 256, 2, 4, 2, 24, 1e-5, 10000.0, 256, false, false, false);
  }

  /** Whether q_proj, k_proj and v_proj carry a bias (always in Qwen2). */
  public boolean qkvBias() {
    return family == DecoderFamily.QWEN2 || (family == DecoderFamily.LLAMA && attentionBias);
  }

  /** Whether o_proj carries a bias (only a Llama with {@code attention_bias}). */
  public boolean outputBias() {
    return family == DecoderFamily.LLAMA && attentionBias;
  }

  /** Whether gate/up/down_proj carry a bias (only a Llama with {@code mlp_bias}). */
  public boolean mlpBiases() {
    return family == DecoderFamily.LLAMA && mlpBias;
  }

  /** The rotary inverse frequencies {@code 1 / theta^(2i/d)}, rescaled by {@code rope_scaling}. */
  public double[] inverseFrequencies() {
    double[] f = new double[headDim / 2];
    for (int i = 0; i < f.length; i++) {
      f[i] = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
    }
    if (ropeScaling != null) {
      ropeScaling.apply(f);
    }
    return f;
  }

  public static LlamaConfig fromJson(JsonNode json, String where) {
    DecoderFamily family = DecoderFamily.of(json);
    ConfigFields f = new ConfigFields(json, where);
    String act = f.text("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw f.invalid("hidden_act '" + act + "' is not supported (only silu)");
    }
    int hidden = f.positiveInt("hidden_size", null);
    int heads = f.positiveInt("num_attention_heads", null);
    int kvHeads = f.positiveInt("num_key_value_heads", family.defaultKeyValueHeads(heads));
    if (heads % kvHeads != 0) {
      throw f.invalid("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    int headDim = f.positiveInt("head_dim", hidden / heads);
    if (headDim % 2 != 0) {
      throw f.invalid("head_dim " + headDim + " must be even for rotary embeddings");
    }
    // transformers 5 moves theta and scaling into "rope_parameters"; older configs keep them at the top.
    JsonNode ropeParameters = json.get("rope_parameters");
    ConfigFields rope = ropeParameters != null && ropeParameters.isObject() ? f.nested(ropeParameters, "rope_parameters") : f;
    double theta = rope.positiveDouble("rope_theta", 10000.0);
    RopeScaling scaling = RopeScaling.fromJson(ropeParameters != null && ropeParameters.isObject() ? ropeParameters : json.get("rope_scaling"), f);
    int window =
        switch (family) {
          case LLAMA -> 0;
          case MISTRAL -> f.optionalPositiveInt("sliding_window");
          case QWEN2 -> f.bool("use_sliding_window", false) ? f.optionalPositiveInt("sliding_window") : 0;
        };
    boolean llama = family == DecoderFamily.LLAMA;
    return new LlamaConfig(
        family,
        f.positiveInt("vocab_size", family.defaultVocabSize()),
        hidden,
        f.positiveInt("intermediate_size", null),
        f.positiveInt("num_hidden_layers", null),
        heads,
        kvHeads,
        headDim,
        f.positiveDouble("rms_norm_eps", 1e-6),
        theta,
        scaling,
        f.positiveInt("max_position_embeddings", family.defaultMaxPositions()),
        f.bool("tie_word_embeddings", false),
        llama && f.bool("attention_bias", false),
        llama && f.bool("mlp_bias", false),
        window);
  }

  /** The config.json transformers reads for this family. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putArray("architectures").add(family.hfArchitecture());
    o.put("model_type", family.modelType());
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
    if (ropeScaling == null) {
      o.putNull("rope_scaling");
    } else {
      o.set("rope_scaling", ropeScaling.toJson());
    }
    o.put("max_position_embeddings", maxPositionEmbeddings);
    o.put("tie_word_embeddings", tieWordEmbeddings);
    switch (family) {
      case LLAMA -> {
        o.put("attention_bias", attentionBias);
        o.put("mlp_bias", mlpBias);
      }
      case MISTRAL -> putWindow(o);
      case QWEN2 -> {
        o.put("use_sliding_window", slidingWindow > 0);
        putWindow(o);
      }
    }
    o.put("torch_dtype", "float32");
    return o;
  }

  private void putWindow(ObjectNode o) {
    if (slidingWindow > 0) {
      o.put("sliding_window", slidingWindow);
    } else {
      o.putNull("sliding_window");
    }
  }
}
