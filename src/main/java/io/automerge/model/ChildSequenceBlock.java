package io.automerge.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/** The model's top-level block: its children run one after the other. */
public final class ChildSequenceBlock extends AbstractBlock {
  private final List<NamedChild> children;

  public ChildSequenceBlock(List<NamedChild> children) {
    super((byte) 1);
    this.children = List.copyOf(children);
    for (NamedChild child : children) {
      addChildBlock(child.name(), child.block());
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList current = inputs;
    for (NamedChild child : children) {
      current = child.block().forward(store, current, training, params);
    }
    return current;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] current = inputShapes;
    for (NamedChild child : children) {
      current = child.block().getOutputShapes(current);
    }
    return current;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (NamedChild child : children) {
      Block block = child.block();
      block.initialize(manager, dataType, inputShapes);
    }
  }
}
