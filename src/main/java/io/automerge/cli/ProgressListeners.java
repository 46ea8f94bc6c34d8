package io.automerge.cli;

import io.automerge.model.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar (on stderr) per training run, showing smoothed loss and rate. */
final class ProgressListeners {
  private ProgressListeners() {}

  static TrainingListener bar(String taskName) {
    return new TrainingListener() {
      private ProgressBar bar;

      @Override
      public void onStep(int step, int steps, float loss, double samplesPerSecond) {
        if (bar == null) {
          bar =
              new ProgressBarBuilder()
                  .setTaskName(taskName)
                  .setInitialMax(steps)
                  .setStyle(ProgressBarStyle.ASCII)
                  .setUpdateIntervalMillis(1000)
                  .build();
        }
        bar.stepTo(step);
        bar.setExtraMessage(String.format(" loss %.3f, %.0f samples/s", loss, samplesPerSecond));
        if (step == steps) {
          bar.close();
          bar = null;
        }
      }
    };
  }
}
