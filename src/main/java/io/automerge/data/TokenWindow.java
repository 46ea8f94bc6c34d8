package io.automerge.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * At most {@code max_tokens} consecutive tokens scored on their own: the model reads
 * {@code tokens[0..n-2]} and every position from {@code firstScored} on is a target
 * ({@code tokens[j]} predicted from the tokens before it in this window).
 */
record TokenWindow(long[] tokens, int firstScored) {
  TokenWindow {
    if (tokens.length < 2 || firstScored < 1 || firstScored >= tokens.length) {
      throw new IllegalArgumentException("a window needs a scored position after its first token");
    }
  }

  int targets() {
    return tokens.length - firstScored;
  }

  /**
   * Cuts {@code tokens} into consecutive windows of at most {@code maxTokens}; positions before
   * {@code scoredFrom} (a completion's prompt) are read but never scored, and a window without a
   * scored position is dropped.
   */
  static List<TokenWindow> cut(long[] tokens, int scoredFrom, int maxTokens) {
    List<TokenWindow> out = new java.util.ArrayList<>();
    for (int start = 0; start < tokens.length; start += maxTokens) {
      int end = Math.min(tokens.length, start + maxTokens);
      int first = Math.max(1, scoredFrom - start);
      if (end - start >= 2 && first < end - start) {
        out.add(new TokenWindow(java.util.Arrays.copyOfRange(tokens, start, end), first));
      }
    }
    return out;
  }

  /**
   * Right-padded inputs {@code [rows, L]} and targets {@code [rows, L]} (-1 where nothing is
   * scored). Padding after a row's tokens never changes a causal model's earlier positions.
   */
  static TaskBatch batch(NDManager manager, List<TokenWindow> rows, int samples) {
    int length = rows.stream().mapToInt(w -> w.tokens.length - 1).max().orElse(1);
    long[] x = new long[rows.size() * length];
    long[] y = new long[rows.size() * length];
    java.util.Arrays.fill(y, -1);
    for (int r = 0; r < rows.size(); r++) {
      TokenWindow w = rows.get(r);
      for (int t = 0; t < w.tokens.length - 1; t++) {
        x[r * length + t] = w.tokens[t];
        if (t + 1 >= w.firstScored) {
          y[r * length + t] = w.tokens[t + 1];
        }
      }
    }
    Shape shape = new Shape(rows.size(), length);
    return new TaskBatch(manager.create(x, shape), manager.create(y, shape), samples);
  }
}
