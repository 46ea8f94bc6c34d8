package io.automerge.model.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.automerge.model.NamedBlock;

/** Feature map to token sequence plus learned positions: {@code [b, c, g, g] -> [b, g*g, c]}. */
final class TokenEmbedding extends NamedBlock {
  private final Parameter positions;

  TokenEmbedding(CctConfig config) {
    positions =
        parameter(
            "encoder.embed_positions.weight",
            Parameter.Type.WEIGHT,
            new NormalInitializer(0.02f),
            config.sequenceLength(),
            config.hiddenSize());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    NDArray tokens = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
    return new NDList(tokens.add(store.getValue(positions, x.getDevice(), training)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), s.get(2) * s.get(3), s.get(1))};
  }
}
