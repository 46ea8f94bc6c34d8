package io.automerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.model.cct.CctArchitecture;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.llama.LlamaArchitecture;
import io.automerge.model.llama.LlamaConfig;
import java.util.List;

/**
 * The registry: reads the architecture from a config.json ({@code "architecture"}, or HF's
 * {@code "architectures": ["LlamaForCausalLM"]} / {@code "model_type": "llama"}) and builds it.
 */
public final class Architectures {
  public static final List<String> NAMES = List.of(CctConfig.ARCHITECTURE, LlamaConfig.ARCHITECTURE);

  private Architectures() {}

  public static ArchitectureModel build(JsonNode config, String where) {
    String arch = detect(config, where);
    return switch (arch) {
      case CctConfig.ARCHITECTURE -> CctArchitecture.build(CctConfig.fromJson(config, where));
      case LlamaConfig.ARCHITECTURE -> LlamaArchitecture.build(LlamaConfig.fromJson(config, where));
      default -> throw new IllegalStateException(arch);
    };
  }

  /** The registry key for a config, or an InvalidInputException naming {@code where}. */
  public static String detect(JsonNode config, String where) {
    JsonNode arch = config.get("architecture");
    if (arch != null && arch.isTextual()) {
      String name = arch.asText();
      if (NAMES.contains(name)) {
        return name;
      }
      throw new InvalidInputException(where + ": unknown architecture '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
    JsonNode hf = config.get("architectures");
    if (hf != null && hf.isArray()) {
      for (JsonNode n : hf) {
        if ("LlamaForCausalLM".equals(n.asText())) {
          return LlamaConfig.ARCHITECTURE;
        }
      }
    }
    JsonNode type = config.get("model_type");
    if (type != null && NAMES.contains(type.asText())) {
      return type.asText();
    }
    throw new InvalidInputException(
        where + ": no known architecture (set \"architecture\" to one of " + String.join(", ", NAMES) + ", or \"architectures\": [\"LlamaForCausalLM\"])");
  }
}
