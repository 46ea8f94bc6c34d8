package io.automerge.segment;

import io.automerge.InvalidInputException;

/** How to cut: where the output rank changes (the paper), not at all, or every K layers. */
public sealed interface SegmentationMode {

  /** The spelling used in specs and on the command line. */
  String label();

  /** Cut where the rank of consecutive children's outputs changes. */
  record Shape() implements SegmentationMode {
    @Override
    public String label() {
      return "shape";
    }
  }

  /** One block: the paper's "w/o segmentor" ablation. */
  record Whole() implements SegmentationMode {
    @Override
    public String label() {
      return "whole";
    }
  }

  /** Groups of {@code k} consecutive transformer layers, plus one block for the rest. */
  record Layers(int k) implements SegmentationMode {
    public Layers {
      if (k < 1) {
        throw new InvalidInputException("segmentation layers:K needs K >= 1, got " + k);
      }
    }

    @Override
    public String label() {
      return "layers:" + k;
    }
  }

  static SegmentationMode parse(String mode) {
    String m = mode == null ? "shape" : mode.trim();
    if (m.equals("shape")) {
      return new Shape();
    }
    if (m.equals("whole")) {
      return new Whole();
    }
    if (m.matches("layers:[0-9]{1,6}")) {
      return new Layers(Integer.parseInt(m.substring("layers:".length())));
    }
    throw new InvalidInputException("segmentation: expected shape, whole or layers:K (got " + mode + ")");
  }
}
