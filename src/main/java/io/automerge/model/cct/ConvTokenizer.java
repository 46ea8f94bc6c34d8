package io.automerge.model.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.automerge.model.NamedBlock;
import java.util.ArrayList;
import java.util.List;

/** (conv → ReLU → max-pool) × n; output {@code [b, hidden, g, g]} (4-D). */
final class ConvTokenizer extends NamedBlock {
  private final CctConfig config;
  private final List<Parameter> convs = new ArrayList<>();

  ConvTokenizer(CctConfig config) {
    this.config = config;
    int in = config.numChannels();
    for (int i = 0; i < config.convChannels().length; i++) {
      int out = config.convChannels()[i];
      int k = config.kernelSize();
      convs.add(parameter("tokenizer.conv." + i + ".weight", Parameter.Type.WEIGHT, null, out, in, k, k));
      in = out;
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    int pad = config.kernelSize() / 2;
    for (Parameter conv : convs) {
      NDArray w = store.getValue(conv, x.getDevice(), training);
      x = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
      x = Activation.relu(x);
      x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    }
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {new Shape(batch, config.hiddenSize(), config.gridSide(), config.gridSide())};
  }
}
