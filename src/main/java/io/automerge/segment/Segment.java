package io.automerge.segment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One block of a segmentation: consecutive top-level children of a model whose outputs have the
 * same rank. {@code children} are the children's name prefixes (e.g. {@code encoder.layers.0}),
 * {@code tensors} the names of their parameters.
 */
public record Segment(String name, int rank, long parameters, List<String> children, List<String> tensors) {
  public Segment {
    children = List.copyOf(children);
    tensors = List.copyOf(tensors);
  }

  /** A readable recipe regex that finds exactly this block's tensors: its children's prefixes. */
  public String pattern() {
    return children.stream()
        .map(c -> escape(c) + "\\.")
        .collect(Collectors.joining("|", "^(?:", ")"));
  }

  private static String escape(String literal) {
    return literal.replaceAll("[\\\\.^$|?*+()\\[\\]{}]", "\\\\$0");
  }
}
