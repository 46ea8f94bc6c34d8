package io.automerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.model.cct.CctArchitecture;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.DecoderFamily;
import io.automerge.model.llama.LlamaArchitecture;
import io.automerge.model.llama.LlamaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry: reads the architecture from a config.json and builds it. Hugging Face configs name
 * it in {@code "architectures"} ({@code LlamaForCausalLM}, {@code MistralForCausalLM},
 * {@code Qwen2ForCausalLM}: all built as our Llama-style decoder); the CCT, which transformers does
 * not know, in {@code "architecture": "cct"}.
 */
public final class Architectures {
  /** Registry keys: what {@link ArchitectureModel#architecture()} returns. */
  public static final List<String> NAMES = List.of(CctConfig.ARCHITECTURE, LlamaConfig.ARCHITECTURE);

  private Architectures() {}

  public static ArchitectureModel build(JsonNode config, String where) {
    String arch = detect(config, where);
    ArchitectureModel model = switch (arch) {
      case CctConfig.ARCHITECTURE -> CctArchitecture.build(CctConfig.fromJson(config, where));
      case LlamaConfig.ARCHITECTURE -> LlamaArchitecture.build(LlamaConfig.fromJson(config, where));
      default -> throw new IllegalStateException(arch);
    };
    return model.keepingFieldsOf(config);
  }

  /** The registry key for a config, or an InvalidInputException naming {@code where}. */
  public static String detect(JsonNode config, String where) {
    JsonNode arch = config.get("architecture");
    if (arch != null && arch.isTextual()) {
      String name = arch.asText();
      if (NAMES.contains(name)) {
        return name;
      }
      throw new InvalidInputException(where + ": unknown architecture '" + name + "' (supported: " + supported() + ")");
    }
    JsonNode hf = config.get("architectures");
    if (hf != null && hf.isArray() && !hf.isEmpty()) {
      for (JsonNode n : hf) {
        if (DecoderFamily.byHfArchitecture(n.asText()).isPresent()) {
          return LlamaConfig.ARCHITECTURE;
        }
      }
      List<String> named = new ArrayList<>();
      hf.forEach(n -> named.add(n.asText()));
      throw new InvalidInputException(where + ": architecture " + String.join(", ", named) + " is not supported (supported: " + supported() + ")");
    }
    JsonNode type = config.get("model_type");
    if (type != null && type.isTextual()) {
      Optional<DecoderFamily> family = DecoderFamily.byModelType(type.asText());
      if (family.isPresent()) {
        return LlamaConfig.ARCHITECTURE;
      }
      if (type.asText().equals(CctConfig.ARCHITECTURE)) {
        return CctConfig.ARCHITECTURE;
      }
      throw new InvalidInputException(where + ": model_type '" + type.asText() + "' is not supported (supported: " + supported() + ")");
    }
    throw new InvalidInputException(where + ": no architecture (set \"architectures\" to one of " + supported() + ")");
  }

  /** What a config may name, for messages. */
  static String supported() {
    List<String> all = new ArrayList<>(DecoderFamily.hfArchitectures());
    all.add("\"architecture\": \"cct\"");
    return String.join(", ", all);
  }
}
