package io.automerge.model.llama;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.train.ModelTrainer;
import io.automerge.model.train.TrainingListener;
import io.automerge.model.train.TrainingPlan;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same bytes for the Llama. The autograd graph must own every tensor it saves: a
 * constant backed by a Java buffer that the garbage collector frees before backward turns the
 * gradients into garbage (the fortunes-llama reruns differed, and a step now and then was NaN).
 */
class LlamaTrainingDeterminismTest {
  private static final LlamaConfig TINY = new LlamaConfig(256, 16, 32, 2, 4, 2, 4, 1e-5, 10000.0, 64, false, false, false);

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void gradientsDoNotDependOnGarbageCollectionBetweenForwardAndBackward() throws InterruptedException {
    Map<String, float[]> quiet = gradients(false);
    Map<String, float[]> collected = gradients(true);
    assertThat(collected.keySet()).containsExactlyElementsOf(quiet.keySet());
    for (String name : quiet.keySet()) {
      assertThat(collected.get(name)).as(name).containsExactly(quiet.get(name));
    }
  }

  @Test
  void twoTrainingsFromTheSameSeedGiveIdenticalBytes() {
    Task task = Tasks.parse("fortunes:en");
    TrainingPlan plan = new TrainingPlan(6, 4, 3e-3f, 3e-4f, 1, 5);
    assertThat(train(task, plan)).isEqualTo(train(task, plan));
  }

  private static Map<String, float[]> gradients(boolean collectGarbage) throws InterruptedException {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      ArchitectureModel model = Architectures.build(TINY.toJson(), "test").initialize(m);
      long[] ids = new Random(7).longs(2 * 16, 0, 256).toArray();
      List<ByteBuffer> garbage = new ArrayList<>();
      Map<String, float[]> grads = new LinkedHashMap<>();
      try (NDManager step = m.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray input = step.create(ids, new Shape(2, 16));
        NDArray loss = model.forward(input, true).square().mean();
        if (collectGarbage) {
          // Free whatever only the graph still points at, then reuse that memory with NaN bytes.
          for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 20_000; i++) {
              ByteBuffer b = ByteBuffer.allocateDirect(1 + i % 64);
              while (b.hasRemaining()) {
                b.put((byte) 0xFF);
              }
              garbage.add(b);
            }
          }
        }
        collector.backward(loss);
        for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
          NDArray grad = e.getValue().getArray().getGradient();
          grad.attach(step);
          grads.put(e.getKey(), grad.toFloatArray());
        }
      }
      java.lang.ref.Reference.reachabilityFence(garbage); // the NaN bytes stay put until backward is done
      return grads;
    }
  }

  private static String train(Task task, TrainingPlan plan) {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      ArchitectureModel model = Architectures.build(TINY.toJson(), "test").initialize(m);
      ModelTrainer.Result r = ModelTrainer.train(model, List.of(task), plan, m, TrainingListener.SILENT);
      assertThat(r.skippedSteps()).isZero();
      StringBuilder bytes = new StringBuilder();
      for (Parameter p : model.parametersByName().values()) {
        bytes.append(Arrays.hashCode(p.getArray().toByteArray())).append(',');
      }
      return bytes.toString();
    }
  }
}
