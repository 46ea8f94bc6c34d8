package io.automerge.model.llama;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.NamedBlock;
import io.automerge.model.NamedChild;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Llama-style decoder with HF tensor names. Children in order:
 * {@code model.embed_tokens}, {@code model.layers.N}, {@code model.norm+lm_head} (all 3-D).
 */
public final class LlamaArchitecture {
  private LlamaArchitecture() {}

  public static ArchitectureModel build(LlamaConfig config) {
    EmbedTokens embed = new EmbedTokens(config);
    List<NamedBlock> blocks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    blocks.add(embed);
    names.add("model.embed_tokens");
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      blocks.add(new DecoderLayer(config, i));
      names.add("model.layers." + i);
    }
    blocks.add(new NormHead(config, embed.weight()));
    names.add("model.norm+lm_head");

    List<NamedChild> children = new ArrayList<>();
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      List<String> owned = new ArrayList<>();
      for (Parameter p : blocks.get(i).ownedParameters()) {
        parameters.put(p.getName(), p);
        owned.add(p.getName());
      }
      children.add(new NamedChild(names.get(i), blocks.get(i), owned));
    }
    Shape input = new Shape(1, Math.min(8, config.maxPositionEmbeddings()));
    return new ArchitectureModel(LlamaConfig.ARCHITECTURE, config.toJson(), children, parameters, input, DataType.INT64);
  }
}
