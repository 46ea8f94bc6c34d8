package io.automerge.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.model.ConfigFields;
import java.util.List;

/**
 * A config's {@code rope_scaling}: how the rotary inverse frequencies are rescaled for long
 * contexts. {@code linear} divides every frequency by {@code factor}; {@code llama3} (Llama 3.1)
 * keeps the high frequencies, divides the low ones by {@code factor} and blends in between.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {
  public static final String LINEAR = "linear";
  public static final String LLAMA3 = "llama3";
  static final List<String> SUPPORTED = List.of("default", LINEAR, LLAMA3);

  /** {@code null} for a missing, null or {@code default} scaling. */
  static RopeScaling fromJson(JsonNode node, ConfigFields config) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw config.invalid("field 'rope_scaling' must be an object or null, got " + node);
    }
    // Older configs call it "type"; transformers reads either.
    JsonNode typeNode = node.hasNonNull("rope_type") ? node.get("rope_type") : node.get("type");
    String type = typeNode == null ? "default" : typeNode.asText();
    ConfigFields f = config.nested(node, "rope_scaling");
    return switch (type) {
      case "default" -> null;
      case LINEAR -> new RopeScaling(LINEAR, f.positiveDouble("factor", null), 0, 0, 0);
      case LLAMA3 -> {
        double low = f.positiveDouble("low_freq_factor", null);
        double high = f.positiveDouble("high_freq_factor", null);
        if (high <= low) {
          throw f.invalid("high_freq_factor " + high + " must be above low_freq_factor " + low);
        }
        yield new RopeScaling(LLAMA3, f.positiveDouble("factor", null), low, high, f.positiveInt("original_max_position_embeddings", null));
      }
      default -> throw config.invalid("rope_scaling type '" + type + "' is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
    };
  }

  /** Rescales the unscaled inverse frequencies {@code 1 / theta^(2i/d)}, in place. */
  void apply(double[] inverseFrequencies) {
    for (int i = 0; i < inverseFrequencies.length; i++) {
      double f = inverseFrequencies[i];
      inverseFrequencies[i] = type.equals(LINEAR) ? f / factor : llama3(f);
    }
  }

  private double llama3(double frequency) {
    double wavelength = 2 * Math.PI / frequency;
    double shortest = originalMaxPositionEmbeddings / highFreqFactor; // below: unchanged
    double longest = originalMaxPositionEmbeddings / lowFreqFactor; // above: divided by factor
    if (wavelength < shortest) {
      return frequency;
    }
    if (wavelength > longest) {
      return frequency / factor;
    }
    double smooth = (originalMaxPositionEmbeddings / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
    return (1 - smooth) * frequency / factor + smooth * frequency;
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("rope_type", type);
    o.put("factor", factor);
    if (type.equals(LLAMA3)) {
      o.put("low_freq_factor", lowFreqFactor);
      o.put("high_freq_factor", highFreqFactor);
      o.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
    }
    return o;
  }
}
