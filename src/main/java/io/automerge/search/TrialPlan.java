package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.automerge.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One proposal: the choice for every block, keyed by block name in the space's block order.
 * In JSON it is just that map: {@code {"encoder": {"technique": "ties", ...}, ...}}.
 */
public record TrialPlan(@JsonValue Map<String, BlockChoice> blocks) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
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
