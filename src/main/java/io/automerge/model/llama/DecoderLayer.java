package io.automerge.model.llama;

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
 * One Llama decoder layer: RMSNorm → causal grouped-query attention with rotary positions →
 * residual, RMSNorm → SwiGLU MLP → residual. Biases where the family puts them (Qwen2: q, k, v).
 */
final class DecoderLayer extends NamedBlock {
  private final LlamaConfig config;
  private final Parameter inputNorm;
  private final Parameter[] q;
  private final Parameter[] k;
  private final Parameter[] v;
  private final Parameter[] o;
  private final Parameter postNorm;
  private final Parameter[] gate;
  private final Parameter[] up;
  private final Parameter[] down;

  DecoderLayer(LlamaConfig config, int index) {
    this.config = config;
    String p = "model.layers." + index + ".";
    int d = config.hiddenSize();
    int qWidth = config.numAttentionHeads() * config.headDim();
    int kvWidth = config.numKeyValueHeads() * config.headDim();
    inputNorm = parameter(p + "input_layernorm.weight", Parameter.Type.GAMMA, null, d);
    q = linear(p + "self_attn.q_proj", qWidth, d, config.qkvBias());
    k = linear(p + "self_attn.k_proj", kvWidth, d, config.qkvBias());
    v = linear(p + "self_attn.v_proj", kvWidth, d, config.qkvBias());
    o = linear(p + "self_attn.o_proj", d, qWidth, config.outputBias());
    postNorm = parameter(p + "post_attention_layernorm.weight", Parameter.Type.GAMMA, null, d);
    gate = linear(p + "mlp.gate_proj", config.intermediateSize(), d, config.mlpBiases());
    up = linear(p + "mlp.up_proj", config.intermediateSize(), d, config.mlpBiases());
    down = linear(p + "mlp.down_proj", d, config.intermediateSize(), config.mlpBiases());
  }

  private Parameter[] linear(String name, int out, int in, boolean bias) {
    Parameter w = parameter(name + ".weight", Parameter.Type.WEIGHT, new NormalInitializer(0.02f), out, in);
    Parameter b = bias ? parameter(name + ".bias", Parameter.Type.BIAS, null, out) : null;
    return new Parameter[] {w, b};
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device dev = x.getDevice();
    Shape s = x.getShape();
    int length = (int) s.get(1);
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int dim = config.headDim();
    Rotary rotary = new Rotary(x.getManager(), length, config.inverseFrequencies());

    NDArray h = Layers.rmsNorm(x, store.getValue(inputNorm, dev, training), config.rmsNormEps());
    NDArray qh = rotary.apply(Layers.splitHeads(apply(store, h, q, training), heads, dim));
    NDArray kh = rotary.apply(Layers.splitHeads(apply(store, h, k, training), kvHeads, dim));
    NDArray vh = Layers.splitHeads(apply(store, h, v, training), kvHeads, dim);
    if (kvHeads != heads) {
      kh = repeatKv(kh, heads / kvHeads);
      vh = repeatKv(vh, heads / kvHeads);
    }
    NDArray attended = Layers.mergeHeads(Layers.attention(qh, kh, vh, Rotary.causalMask(x.getManager(), length)));
    x = x.add(apply(store, attended, o, training));

    h = Layers.rmsNorm(x, store.getValue(postNorm, dev, training), config.rmsNormEps());
    NDArray g = apply(store, h, gate, training);
    NDArray swiglu = g.mul(Activation.sigmoid(g)).mul(apply(store, h, up, training));
    return new NDList(x.add(apply(store, swiglu, down, training)));
  }

  /** HF repeat_kv: key/value head j serves query heads {@code j*n .. j*n+n-1}. */
  private static NDArray repeatKv(NDArray x, int n) {
    Shape s = x.getShape();
    return x.expandDims(2).broadcast(new Shape(s.get(0), s.get(1), n, s.get(2), s.get(3))).reshape(s.get(0), s.get(1) * n, s.get(2), s.get(3));
  }

  private static NDArray apply(ParameterStore store, NDArray x, Parameter[] linear, boolean training) {
    NDArray w = store.getValue(linear[0], x.getDevice(), training);
    NDArray b = linear[1] == null ? null : store.getValue(linear[1], x.getDevice(), training);
    return Layers.linear(x, w, b);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
