package io.automerge.model.cct;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.automerge.model.Layers;
import io.automerge.model.NamedBlock;

/** Final LayerNorm, attention-based sequence pooling and the linear head: {@code [b, n, d] -> [b, labels]}. */
final class PoolingHead extends NamedBlock {
  private final CctConfig config;
  private final Parameter normWeight;
  private final Parameter normBias;
  private final Parameter attentionWeight;
  private final Parameter attentionBias;
  private final Parameter headWeight;
  private final Parameter headBias;

  PoolingHead(CctConfig config) {
    this.config = config;
    int d = config.hiddenSize();
    NormalInitializer init = new NormalInitializer(0.02f);
    normWeight = parameter("pooling.norm.weight", Parameter.Type.GAMMA, null, d);
    normBias = parameter("pooling.norm.bias", Parameter.Type.BETA, null, d);
    attentionWeight = parameter("pooling.attention.weight", Parameter.Type.WEIGHT, init, 1, d);
    attentionBias = parameter("pooling.attention.bias", Parameter.Type.BIAS, null, 1);
    headWeight = parameter("head.weight", Parameter.Type.WEIGHT, init, config.numLabels(), d);
    headBias = parameter("head.bias", Parameter.Type.BIAS, null, config.numLabels());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device dev = x.getDevice();
    x = Layers.layerNorm(x, store.getValue(normWeight, dev, training), store.getValue(normBias, dev, training), config.layerNormEps());
    // One attention score per token, softmax over the sequence, weighted sum of tokens.
    NDArray weights = Layers.linear(x, store.getValue(attentionWeight, dev, training), store.getValue(attentionBias, dev, training)).softmax(1);
    NDArray pooled = weights.transpose(0, 2, 1).matMul(x).squeeze(1);
    return new NDList(Layers.linear(pooled, store.getValue(headWeight, dev, training), store.getValue(headBias, dev, training)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.numLabels())};
  }
}
