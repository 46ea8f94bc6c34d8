package io.automerge.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.model.ArchitectureModel;

/**
 * The examples per forward pass when a spec leaves {@code batch_size} out: the most whose
 * activations fit the budget, {@link #MAX} when that many fit, else the largest power of two that
 * fits (at least 1). The budget is half the model's float32 size (at least {@link #MIN_BUDGET}),
 * and never more than a quarter of the memory left beside the resident model: a worker then holds
 * about 1.5 models however long its windows are.
 *
 * <p>An example's activations are estimated from one forward pass of one val example, in float32:
 * {@link #ACTIVATION_FACTOR} times the largest output of any top-level block (a layer's hidden
 * states, or the logits), plus, for a model with {@code num_attention_heads} in its config,
 * {@link #ATTENTION_COPIES} times the attention scores (heads x T x T for the longest sequence T of
 * those outputs). Inference frees each block's intermediates before the next runs, so a pass
 * peaks inside one block: in a Llama layer the MLP's gated intermediates come to about 8
 * hidden-state sizes and the scores live as product, scaled, masked and softmax copies; the
 * logits' log-softmax and loss about 3 logits sizes. A power of two keeps the choice, and so the
 * scores' rounding, the same when the free memory moves a little between runs.
 */
public final class FittingBatch {
  /** The most examples per pass (the old fixed default). */
  public static final int MAX = 250;
  /** Share of the free memory the activations of one pass may take (workers share a host). */
  static final double SHARE = 0.25;
  /** Peak activation memory of a pass over the largest block output (see the class comment). */
  static final int ACTIVATION_FACTOR = 16;
  /** Attention-score tensors live at once inside a layer (product, scaled, masked, softmax). */
  static final int ATTENTION_COPIES = 4;
  /** The activation budget of a small model. */
  static final long MIN_BUDGET = 256L << 20;

  private FittingBatch() {}

  /**
   * The rule: with {@code budget = min(max(float32ModelBytes / 2, MIN_BUDGET), SHARE * freeBytes)}
   * and {@code fits = floor(budget / perExampleBytes)}, {@link #MAX} when {@code fits >= MAX}, else
   * the largest power of two {@code <= fits}, and 1 when not even one example fits (or the free
   * memory is unknown, 0).
   */
  public static int choose(long freeBytes, long float32ModelBytes, long perExampleBytes) {
    if (perExampleBytes <= 0) {
      throw new IllegalArgumentException("bytes per example must be positive: " + perExampleBytes);
    }
    double budget = Math.min(Math.max(float32ModelBytes / 2.0, MIN_BUDGET), SHARE * Math.max(0, freeBytes));
    long fits = (long) (budget / perExampleBytes);
    if (fits >= MAX) {
      return MAX;
    }
    int batch = 1;
    while (batch * 2L <= fits) {
      batch *= 2;
    }
    return batch;
  }

  /**
   * Estimated activation bytes of one example of {@code task} through {@code model} (see the class
   * comment), from one forward pass of its first val example. Everything it creates lives and dies
   * in a sub-manager of {@code manager}.
   */
  public static long perExampleBytes(ArchitectureModel model, Task task, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = task.batch(scope, Split.VAL, 0, 1).inputs();
      long largest = 0;
      long sequence = 0;
      for (NDArray output : model.forwardTraced(input)) {
        largest = Math.max(largest, output.size());
        if (output.getShape().dimension() == 3) { // [1, T, features]
          sequence = Math.max(sequence, output.getShape().get(1));
        }
      }
      long heads = model.config().path("num_attention_heads").asLong(0);
      long floats = ACTIVATION_FACTOR * Math.max(1, largest) + ATTENTION_COPIES * heads * sequence * sequence;
      return floats * Float.BYTES;
    }
  }

  /**
   * {@link #choose} for the first tensor task of {@code tasks} on {@code model}, given the free
   * memory of the model's device; {@link #MAX} when every task is a command (nothing runs here).
   */
  public static int fitting(ArchitectureModel model, java.util.List<? extends io.automerge.data.ModelTask> tasks, long freeBytes,
      NDManager manager) {
    java.util.List<Task> tensorTasks = ModelTasks.tensorTasks(java.util.List.copyOf(tasks));
    if (tensorTasks.isEmpty()) {
      return MAX;
    }
    return choose(freeBytes, model.parameterCount() * Float.BYTES, perExampleBytes(model, tensorTasks.get(0), manager));
  }
}
