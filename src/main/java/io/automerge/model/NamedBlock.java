package io.automerge.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A leaf block whose parameters carry their Hugging Face tensor names and fixed shapes, so that
 * binding to a checkpoint is a name lookup, with no shape inference.
 */
public abstract class NamedBlock extends AbstractBlock {
  private final List<Parameter> owned = new ArrayList<>();

  protected NamedBlock() {
    super((byte) 1);
  }

  /** Declares a parameter named {@code name} (the tensor name in safetensors). */
  protected final Parameter parameter(String name, Parameter.Type type, Initializer init, long... shape) {
    Parameter p =
        addParameter(
            Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(new Shape(shape))
                .optInitializer(init == null ? type.getInitializer() : init)
                .build());
    owned.add(p);
    return p;
  }

  /** Parameters this block owns, in declaration order (a tied weight is owned elsewhere). */
  public final List<Parameter> ownedParameters() {
    return List.copyOf(owned);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // Leaf blocks: shapes are fixed by the config, nothing to infer from inputs.
  }
}
