package io.automerge.model.cct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.model.ConfigFields;

/**
 * Hyper-parameters of the CCT-style classifier. The tokenizer's last conv width is the token
 * width, so {@code hidden_size} is {@code conv_channels[last]}.
 */
public record CctConfig(
    int imageSize,
    int numChannels,
    int numLabels,
    int[] convChannels,
    int kernelSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    double layerNormEps) {

  public static final String ARCHITECTURE = "cct";

  /** The default small size that trains on a 2-core CPU in minutes. */
  public static CctConfig small() {
    return new CctConfig(28, 1, 10, new int[] {16, 64}, 3, 2, 2, 128, 1e-5);
  }

  public int hiddenSize() {
    return convChannels[convChannels.length - 1];
  }

  public int headDim() {
    return hiddenSize() / numAttentionHeads;
  }

  /** Side of the feature map after each conv + max-pool(3, stride 2, pad 1) halves it. */
  public int gridSide() {
    int side = imageSize;
    for (int i = 0; i < convChannels.length; i++) {
      side = (side - 1) / 2 + 1;
    }
    return side;
  }

  public int sequenceLength() {
    return gridSide() * gridSide();
  }

  public static CctConfig fromJson(JsonNode json, String where) {
    ConfigFields f = new ConfigFields(json, where);
    CctConfig c =
        new CctConfig(
            f.positiveInt("image_size", 28),
            f.positiveInt("num_channels", 1),
            f.positiveInt("num_labels", 10),
            f.positiveInts("conv_channels", new int[] {16, 64}),
            f.positiveInt("kernel_size", 3),
            f.positiveInt("num_hidden_layers", 2),
            f.positiveInt("num_attention_heads", 2),
            f.positiveInt("intermediate_size", 128),
            f.positiveDouble("layer_norm_eps", 1e-5));
    if (json.has("hidden_size") && json.get("hidden_size").asInt() != c.hiddenSize()) {
      throw f.invalid("hidden_size " + json.get("hidden_size") + " must equal the last conv_channels entry " + c.hiddenSize());
    }
    if (c.hiddenSize() % c.numAttentionHeads() != 0) {
      throw f.invalid("hidden_size " + c.hiddenSize() + " is not divisible by num_attention_heads " + c.numAttentionHeads());
    }
    if (c.kernelSize() % 2 == 0) {
      throw f.invalid("kernel_size must be odd, got " + c.kernelSize());
    }
    return c;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("architecture", ARCHITECTURE);
    o.put("model_type", ARCHITECTURE);
    o.put("image_size", imageSize);
    o.put("num_channels", numChannels);
    o.put("num_labels", numLabels);
    var channels = o.putArray("conv_channels");
    for (int c : convChannels) {
      channels.add(c);
    }
    o.put("kernel_size", kernelSize);
    o.put("hidden_size", hiddenSize());
    o.put("num_hidden_layers", numHiddenLayers);
    o.put("num_attention_heads", numAttentionHeads);
    o.put("intermediate_size", intermediateSize);
    o.put("layer_norm_eps", layerNormEps);
    o.put("torch_dtype", "float32");
    return o;
  }
}
