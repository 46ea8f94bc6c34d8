package io.automerge.model.cct;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.automerge.model.Layers;
import io.automerge.model.NamedBlock;

/**
 * Pre-LayerNorm transformer encoder layer: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}.
 * Written out because DJL's TransformerEncoderBlock normalizes with BatchNorm.
 */
final class EncoderLayer extends NamedBlock {
  private final CctConfig config;
  private final Parameter norm1Weight;
  private final Parameter norm1Bias;
  private final Parameter[] qkvo = new Parameter[8];
  private final Parameter norm2Weight;
  private final Parameter norm2Bias;
  private final Parameter fc1Weight;
  private final Parameter fc1Bias;
  private final Parameter fc2Weight;
  private final Parameter fc2Bias;

  EncoderLayer(CctConfig config, int index) {
    this.config = config;
    String p = "encoder.layers." + index + ".";
    int d = config.hiddenSize();
    NormalInitializer init = new NormalInitializer(0.02f);
    norm1Weight = parameter(p + "norm1.weight", Parameter.Type.GAMMA, null, d);
    norm1Bias = parameter(p + "norm1.bias", Parameter.Type.BETA, null, d);
    String[] names = {"q_proj", "k_proj", "v_proj", "o_proj"};
    for (int i = 0; i < 4; i++) {
      qkvo[2 * i] = parameter(p + "self_attn." + names[i] + ".weight", Parameter.Type.WEIGHT, init, d, d);
      qkvo[2 * i + 1] = parameter(p + "self_attn." + names[i] + ".bias", Parameter.Type.BIAS, null, d);
    }
    norm2Weight = parameter(p + "norm2.weight", Parameter.Type.GAMMA, null, d);
    norm2Bias = parameter(p + "norm2.bias", Parameter.Type.BETA, null, d);
    fc1Weight = parameter(p + "mlp.fc1.weight", Parameter.Type.WEIGHT, init, config.intermediateSize(), d);
    fc1Bias = parameter(p + "mlp.fc1.bias", Parameter.Type.BIAS, null, config.intermediateSize());
    fc2Weight = parameter(p + "mlp.fc2.weight", Parameter.Type.WEIGHT, init, d, config.intermediateSize());
    fc2Bias = parameter(p + "mlp.fc2.bias", Parameter.Type.BIAS, null, d);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device dev = x.getDevice();
    int heads = config.numAttentionHeads();
    int dim = config.headDim();
    double eps = config.layerNormEps();

    NDArray h = Layers.layerNorm(x, value(store, norm1Weight, dev, training), value(store, norm1Bias, dev, training), eps);
    NDArray q = Layers.splitHeads(Layers.linear(h, value(store, qkvo[0], dev, training), value(store, qkvo[1], dev, training)), heads, dim);
    NDArray k = Layers.splitHeads(Layers.linear(h, value(store, qkvo[2], dev, training), value(store, qkvo[3], dev, training)), heads, dim);
    NDArray v = Layers.splitHeads(Layers.linear(h, value(store, qkvo[4], dev, training), value(store, qkvo[5], dev, training)), heads, dim);
    NDArray attended = Layers.mergeHeads(Layers.attention(q, k, v, null));
    x = x.add(Layers.linear(attended, value(store, qkvo[6], dev, training), value(store, qkvo[7], dev, training)));

    h = Layers.layerNorm(x, value(store, norm2Weight, dev, training), value(store, norm2Bias, dev, training), eps);
    h = Activation.gelu(Layers.linear(h, value(store, fc1Weight, dev, training), value(store, fc1Bias, dev, training)));
    x = x.add(Layers.linear(h, value(store, fc2Weight, dev, training), value(store, fc2Bias, dev, training)));
    return new NDList(x);
  }

  private static NDArray value(ParameterStore store, Parameter p, Device dev, boolean training) {
    return store.getValue(p, dev, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
