package io.automerge.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.automerge.model.Layers;
import io.automerge.model.NamedBlock;

/** Final RMSNorm and the LM head: {@code [b, t, hidden] -> [b, t, vocab]}; tied heads reuse the embedding. */
final class NormHead extends NamedBlock {
  private final LlamaConfig config;
  private final Parameter norm;
  private final Parameter head;

  NormHead(LlamaConfig config, Parameter tiedEmbedding) {
    this.config = config;
    norm = parameter("model.norm.weight", Parameter.Type.GAMMA, null, config.hiddenSize());
    head =
        config.tieWordEmbeddings()
            ? tiedEmbedding
            : parameter("lm_head.weight", Parameter.Type.WEIGHT, new NormalInitializer(0.02f), config.vocabSize(), config.hiddenSize());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h = Layers.rmsNorm(x, store.getValue(norm, x.getDevice(), training), config.rmsNormEps());
    return new NDList(Layers.linear(h, store.getValue(head, x.getDevice(), training), null));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(1), config.vocabSize())};
  }
}
