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

  /** The block named {@code name}, or an IllegalArgumentException. */
  public Segment block(String name) {
    return blocks.stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no block '" + name + "' in " + blockNames()));
  }

  public long parameters() {
    return blocks.stream().mapToLong(Segment::parameters).sum();
  }
}
