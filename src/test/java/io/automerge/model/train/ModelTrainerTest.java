package io.automerge.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.cct.CctConfig;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  private static final TrainingPlan PLAN = new TrainingPlan(12, 32, 3e-3f, 3e-4f, 2, 9);

  @Test
  void trainingLowersTheLossAndIsReproducibleBitForBit() {
    Task task = Tasks.parse("fashion-mnist:others");
    float[] first = train(task);
    float[] second = train(task);
    assertThat(second).containsExactly(first);
  }

  private static float[] train(Task task) {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      ArchitectureModel model =
          Architectures.build(new CctConfig(28, 1, 10, new int[] {4, 8}, 3, 1, 2, 16, 1e-5).toJson(), "test").initialize(m);
      int before = m.getManagedArrays().size();
      ModelTrainer.Result r = ModelTrainer.train(model, List.of(task), PLAN, m, TrainingListener.SILENT);
      ModelTrainer.Result more = ModelTrainer.train(model, List.of(task), PLAN, m, TrainingListener.SILENT);
      assertThat(r.lastLoss()).isLessThan(r.firstLoss());
      assertThat(more.lastLoss()).isLessThan(r.firstLoss());
      // Per-step arrays die with their step's sub-manager; only optimizer state may be added once.
      int afterOne = m.getManagedArrays().size();
      ModelTrainer.train(model, List.of(task), PLAN, m, TrainingListener.SILENT);
      assertThat(m.getManagedArrays().size()).isLessThanOrEqualTo(afterOne).isGreaterThanOrEqualTo(before);
      return model.parametersByName().get("head.weight").getArray().toFloatArray();
    }
  }
}
