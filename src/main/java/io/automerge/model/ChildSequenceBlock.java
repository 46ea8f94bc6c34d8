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
    if (training) {
      // backward needs every intermediate: they live until the caller's scope closes
      NDList current = inputs;
      for (NamedChild child : children) {
        current = child.block().forward(store, current, training, params);
      }
      return current;
    }
    return inference(store, inputs, params);
  }

  /**
   * Child by child, each in a scope of its own that keeps only the child's output: DJL keeps every
   * intermediate of an op chain in the input's manager, so a 136M-parameter decoder held some
   * 2 GB of one batch's activations at once; freed per child, a forward pass holds one layer's.
   */
  private NDList inference(ParameterStore store, NDList inputs, PairList<String, Object> params) {
    ai.djl.ndarray.NDManager home = inputs.head().getManager();
    NDList current = inputs;
    for (NamedChild child : children) {
      NDList output;
      try (ai.djl.ndarray.NDManager scope = home.newSubManager()) {
        current.tempAttach(scope); // results of ops land in their input's manager: this scope
        output = child.block().forward(store, current, false, params);
        output.attach(home);
      }
      if (current != inputs) {
        for (ai.djl.ndarray.NDArray previous : current) {
          if (output.stream().noneMatch(a -> a == previous)) {
            previous.close(); // the previous child's output, no longer needed
          }
        }
      }
      current = output;
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
