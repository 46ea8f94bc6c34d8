package io.automerge.model.train;

/** Told after every optimizer step; the CLI draws a progress bar from it. */
@FunctionalInterface
public interface TrainingListener {
  void onStep(int step, int steps, float loss, double samplesPerSecond);

  TrainingListener SILENT = (step, steps, loss, rate) -> {};
}
