package io.automerge.model.llama;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.NamedBlock;
import java.util.ArrayList;
import java.util.List;

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

    Shape input = new Shape(1, Math.min(8, config.maxPositionEmbeddings()));
    return ArchitectureModel.of(LlamaConfig.ARCHITECTURE, config.toJson(), names, blocks, input, DataType.INT64);
  }
}
