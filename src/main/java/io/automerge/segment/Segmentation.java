package io.automerge.segment;

import java.util.List;

/** How a model is cut into blocks for the search, and by which mode (shape, whole, layers:K). */
public record Segmentation(String mode, List<Segment> blocks) {
  public Segmentation {
    blocks = List.copyOf(blocks);
  }

  public List<String> blockNames() {
    return blocks.stream().map(Segment::name).toList();
  }
}
