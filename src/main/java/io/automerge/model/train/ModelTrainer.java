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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A plain training loop: random batches (tasks taken in turn, so a base sees every task equally),
 * mean task loss, backward, global gradient-norm clipping, Adam. Deterministic for a given plan:
 * data order comes from the plan's seed, and there is no dropout.
 */
public final class ModelTrainer {
  /** What a run did; {@code skippedSteps} had a non-finite loss or gradient and changed nothing. */
  public record Result(int steps, long samples, double seconds, float firstLoss, float lastLoss, int skippedSteps) {}

  /** Global gradient-norm clipping, as transformer recipes do. */
  static final double MAX_GRADIENT_NORM = 1.0;

  static final int MAX_SKIPPED_STEPS = 20;

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
    Adam adam = Adam.builder().optLearningRateTracker(schedule).build();
    Random rng = new Random(plan.seed());
    Map<String, Parameter> params = model.parametersByName();
    long start = System.nanoTime();
    long samples = 0;
    float first = Float.NaN;
    float last = Float.NaN;
    float smoothed = Float.NaN;
    int skipped = 0;
    for (int step = 0; step < plan.steps(); step++) {
      Task task = tasks.get(step % tasks.size());
      try (NDManager scope = manager.newSubManager()) {
        TaskBatch batch = task.randomTrainBatch(scope, rng, plan.batchSize());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss = task.loss(model.forward(batch.inputs(), true), batch.labels());
          collector.backward(loss);
          last = loss.getFloat();
        }
        List<NDArray> grads = new ArrayList<>(params.size());
        double squaredNorm = 0;
        for (Parameter p : params.values()) {
          NDArray grad = p.getArray().getGradient();
          grad.attach(scope);
          grads.add(grad);
          squaredNorm += grad.square().sum().getFloat();
        }
        double norm = Math.sqrt(squaredNorm);
        if (Float.isFinite(last) && Double.isFinite(norm)) {
          if (norm > MAX_GRADIENT_NORM) {
            float scale = (float) (MAX_GRADIENT_NORM / norm);
            grads.forEach(g -> g.muli(scale));
          }
          int i = 0;
          for (Map.Entry<String, Parameter> e : params.entrySet()) {
            adam.update(e.getKey(), e.getValue().getArray(), grads.get(i++)); // also clears the gradient
          }
        } else {
          // A rare batch can overflow: drop its gradients rather than poison the weights.
          if (++skipped > MAX_SKIPPED_STEPS) {
            throw new IllegalStateException("training diverged at step " + (step + 1) + " on " + task.name() + " (loss " + last + ")");
          }
          for (NDArray grad : grads) {
            grad.set(grad.eq(grad).logicalOr(grad.neq(grad)), 0f); // every entry, NaN included
          }
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
    return new Result(plan.steps(), samples, (System.nanoTime() - start) / 1e9, first, last, skipped);
  }
}
