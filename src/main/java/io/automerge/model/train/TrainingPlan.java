package io.automerge.model.train;

/**
 * How to train: Adam with linear warm-up then cosine decay from {@code learningRate} to
 * {@code finalLearningRate}; batches drawn from a {@code java.util.Random} seeded with {@code seed}.
 */
public record TrainingPlan(int steps, int batchSize, float learningRate, float finalLearningRate, int warmupSteps, long seed) {
  public TrainingPlan {
    if (steps <= 0 || batchSize <= 0 || learningRate <= 0 || warmupSteps < 0 || warmupSteps >= steps) {
      throw new IllegalArgumentException("bad training plan: " + steps + " steps, batch " + batchSize + ", lr " + learningRate + ", warm-up " + warmupSteps);
    }
  }

  public TrainingPlan withSeed(long newSeed) {
    return new TrainingPlan(steps, batchSize, learningRate, finalLearningRate, warmupSteps, newSeed);
  }

  public TrainingPlan withSteps(int newSteps) {
    return new TrainingPlan(newSteps, batchSize, learningRate, finalLearningRate, Math.min(warmupSteps, newSteps - 1), seed);
  }
}
