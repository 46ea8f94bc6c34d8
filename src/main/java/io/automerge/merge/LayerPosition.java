package io.automerge.merge;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a tensor sits among the transformer layers, for mergekit's gradients: a tensor of layer
 * i in a slice of layers [a, b) has t = (i - a) / (b - a - 1) (t = 1 for a one-layer slice). As in
 * mergekit, tensors outside the layers take the ends: embeddings (a name containing "embed", or
 * GPT-2's "wte"/"wpe") the first slice at t = 0, every other one (final norm, lm_head) the last
 * slice at t = 1.
 */
record LayerPosition(int slice, double t) {
  private static final Pattern LAYER = Pattern.compile("(?:^|\\.)(?:layers|h|blocks)\\.(\\d+)\\.");

  /** The layer index in a tensor name, or -1. */
  static int layerOf(String tensor) {
    Matcher m = LAYER.matcher(tensor);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static boolean isEmbedding(String tensor) {
    return tensor.contains("embed") || tensor.contains("wte") || tensor.contains("wpe");
  }

  /** @param slices each slice's layer range [start, end), contiguous from 0 */
  static LayerPosition of(String tensor, List<int[]> slices) {
    int layer = layerOf(tensor);
    if (layer < 0) {
      return isEmbedding(tensor) ? new LayerPosition(0, 0) : new LayerPosition(slices.size() - 1, 1);
    }
    for (int s = 0; s < slices.size(); s++) {
      int start = slices.get(s)[0];
      int end = slices.get(s)[1];
      if (layer >= start && layer < end) {
        return new LayerPosition(s, end - start > 1 ? (double) (layer - start) / (end - start - 1) : 1);
      }
    }
    return new LayerPosition(slices.size() - 1, 1); // beyond the layer count: treated as after the layers
  }
}
