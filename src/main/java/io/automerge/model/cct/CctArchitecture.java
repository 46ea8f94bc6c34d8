package io.automerge.model.cct;

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
    Shape input = new Shape(1, config.numChannels(), config.imageSize(), config.imageSize());
    return new ArchitectureModel(CctConfig.ARCHITECTURE, config.toJson(), children, parameters, input, DataType.FLOAT32);
  }
}
