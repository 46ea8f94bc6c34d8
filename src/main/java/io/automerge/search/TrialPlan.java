package io.automerge.search;

import io.automerge.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One proposal: the choice for every block, keyed by block name in the space's block order. */
public record TrialPlan(Map<String, BlockChoice> blocks) {
  public TrialPlan {
    blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
  }

  public BlockChoice block(String name) {
    BlockChoice choice = blocks.get(name);
    if (choice == null) {
      throw new InvalidInputException("trial plan has no block '" + name + "' (blocks: " + blocks.keySet() + ")");
    }
    return choice;
  }
}
