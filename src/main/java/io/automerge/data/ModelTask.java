package io.automerge.data;

import java.util.Set;

/**
 * Anything a model can be scored on: a {@link Task} it runs in process on tensors, or a
 * {@link CommandTask}, an external program run on the model's checkpoint directory.
 */
public sealed interface ModelTask permits Task, CommandTask {
  /** The name the spec gives it ({@code tasks:} key, or a built-in name such as {@code fashion-mnist:tops}). */
  String name();

  /** Metrics where a lower value is better (their preservation rate is inverted: S / M). */
  Set<String> lowerIsBetter();
}
