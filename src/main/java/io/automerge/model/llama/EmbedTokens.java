package io.automerge.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.automerge.InvalidInputException;
import io.automerge.model.NamedBlock;

/** Token ids {@code [b, t]} to embeddings {@code [b, t, hidden]}; refuses inputs beyond a sliding window. */
final class EmbedTokens extends NamedBlock {
  private final LlamaConfig config;
  private final Parameter weight;

  EmbedTokens(LlamaConfig config) {
    this.config = config;
    weight = parameter("model.embed_tokens.weight", Parameter.Type.WEIGHT, new NormalInitializer(0.02f), config.vocabSize(), config.hiddenSize());
  }

  Parameter weight() {
    return weight;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    long length = ids.getShape().get(ids.getShape().dimension() - 1);
    if (config.slidingWindow() > 0 && length > config.slidingWindow()) {
      // Within the window sliding-window attention is plain causal attention; beyond it, it is not.
      throw new InvalidInputException(
          config.family().hfArchitecture() + " with sliding_window " + config.slidingWindow() + ": an input of " + length
              + " tokens is longer than the window; use windows of at most " + config.slidingWindow() + " tokens (max_tokens)");
    }
    if (ids.getDataType() != DataType.INT64) {
      ids = ids.toType(DataType.INT64, false);
    }
    return Embedding.embedding(ids, store.getValue(weight, ids.getDevice(), training), SparseFormat.DENSE);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].addAll(new Shape(config.hiddenSize()))};
  }
}
