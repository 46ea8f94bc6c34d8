package io.automerge.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import io.automerge.data.Task;
import io.automerge.data.TaskBatch;
import io.automerge.model.ArchitectureModel;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A plain training loop: random batches (tasks taken in turn, so a base sees every task equally),
 * mean task loss, backward, Adam. Deterministic for a given plan: data order comes from the plan's
 * seed, and there is no dropout.
 */
public final class ModelTrainer {
  /** What a run did. */
  public record Result(int steps, long samples, double seconds, float firstLoss, float lastLoss) {}

  private ModelTrainer() {}

  public static Result train(ArchitectureModel model, List<Task> tasks, TrainingPlan plan, NDManager manager, TrainingListener listener) {
    Tracker cosine =
        Tracker.cosine()
            .setBaseValue(plan.learningRate())
            .optFinalValue(plan.finalLearningRate())
            .setMaxUpdates(plan.steps() - plan.warmupSteps())
            .build();
    Tracker schedule =
        plan.warmupSteps() == 0
            ? cosine
            : Tracker.warmUp().optWarmUpBeginValue(plan.learningRate() / 10).optWarmUpSteps(plan.warmupSteps()).setMainTracker(cosine).build();
    // Element-wise clipping keeps a rare outlier batch from blowing up Adam's first steps.
    Adam adam = Adam.builder().optLearningRateTracker(schedule).optClipGrad(1f).build();
    Random rng = new Random(plan.seed());
    Map<String, Parameter> params = model.parametersByName();
    long start = System.nanoTime();
    long samples = 0;
    float first = Float.NaN;
    float last = Float.NaN;
    float smoothed = Float.NaN;
    for (int step = 0; step < plan.steps(); step++) {
      Task task = tasks.get(step % tasks.size());
      try (NDManager scope = manager.newSubManager()) {
        TaskBatch batch = task.randomTrainBatch(scope, rng, plan.batchSize());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss = task.loss(model.forward(batch.inputs(), true), batch.labels());
          collector.backward(loss);
          last = loss.getFloat();
        }
        if (!Float.isFinite(last)) {
          throw new IllegalStateException("training diverged at step " + (step + 1) + " on " + task.name() + " (loss " + last + ")");
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
          NDArray weight = e.getValue().getArray();
          NDArray grad = weight.getGradient();
          grad.attach(scope);
          adam.update(e.getKey(), weight, grad);
          grad.subi(grad); // PyTorch accumulates gradients: clear them for the next step
        }
        samples += batch.samples();
      }
      if (step == 0) {
        first = last;
        smoothed = last;
      }
      smoothed = 0.95f * smoothed + 0.05f * last;
      double seconds = (System.nanoTime() - start) / 1e9;
      listener.onStep(step + 1, plan.steps(), smoothed, samples / Math.max(seconds, 1e-9));
    }
    return new Result(plan.steps(), samples, (System.nanoTime() - start) / 1e9, first, last);
  }
}
