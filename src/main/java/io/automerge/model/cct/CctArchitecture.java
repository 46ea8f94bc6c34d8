package io.automerge.model.cct;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.NamedBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the CCT-style classifier. Children in order: {@code tokenizer} (4-D),
 * {@code encoder.embed} and {@code encoder.layers.N} (3-D), {@code pooling_head} (2-D).
 */
public final class CctArchitecture {
  private CctArchitecture() {}

  public static ArchitectureModel build(CctConfig config) {
    List<NamedBlock> blocks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    blocks.add(new ConvTokenizer(config));
    names.add("tokenizer");
    blocks.add(new TokenEmbedding(config));
    names.add("encoder.embed");
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      blocks.add(new EncoderLayer(config, i));
      names.add("encoder.layers." + i);
    }
    blocks.add(new PoolingHead(config));
    names.add("pooling_head");

    Shape input = new Shape(1, config.numChannels(), config.imageSize(), config.imageSize());
    return ArchitectureModel.of(CctConfig.ARCHITECTURE, config.toJson(), names, blocks, input, DataType.FLOAT32);
  }
}
