package io.automerge.model;

import ai.djl.nn.Block;
import java.util.List;

/**
 * One top-level child of a model, in forward order: its name, its block, and the tensor names of
 * the parameters it owns. Segmentation cuts between children where the output rank changes.
 */
public record NamedChild(String name, Block block, List<String> parameterNames) {
  public NamedChild {
    parameterNames = List.copyOf(parameterNames);
  }
}
