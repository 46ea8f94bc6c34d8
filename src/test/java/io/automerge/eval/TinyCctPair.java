package io.automerge.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.automerge.data.Tasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.cct.CctArchitecture;
import io.automerge.model.cct.CctConfig;
import io.automerge.model.train.ModelTrainer;
import io.automerge.model.train.TrainingListener;
import io.automerge.model.train.TrainingPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny CCT pair trained in seconds on real Fashion-MNIST, as the examples are: a base on all ten
 * classes, then one fine-tune on `tops` and one on `others`. For tests that need real merges.
 */
public record TinyCctPair(Path base, Path tops, Path others) {
  public static final String TOPS = "fashion-mnist:tops";
  public static final String OTHERS = "fashion-mnist:others";

  private static TinyCctPair shared;

  /** One pair per test JVM: training is the slow part of every test that needs real merges. */
  public static synchronized TinyCctPair shared() {
    if (shared == null) {
      try {
        Path dir = java.nio.file.Files.createTempDirectory("tiny-cct-pair");
        dir.toFile().deleteOnExit();
        shared = train(dir, 40);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return shared;
  }

  public static TinyCctPair train(Path dir, int steps) {
    System.setProperty("ai.djl.offline", "true");
    CctConfig config = new CctConfig(28, 1, 10, new int[] {4, 8}, 3, 1, 2, 16, 1e-5);
    TinyCctPair pair = new TinyCctPair(dir.resolve("base"), dir.resolve("tops"), dir.resolve("others"));
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      ArchitectureModel model = CctArchitecture.build(config).initialize(manager);
      ModelTrainer.train(model, List.of(Tasks.parse("fashion-mnist:all")), new TrainingPlan(steps, 32, 3e-3f, 1e-3f, 0, 1),
          manager, TrainingListener.SILENT);
      ModelCheckpoints.save(model, pair.base(), Map.of());
    }
    fineTune(pair.base(), TOPS, pair.tops(), steps, 2);
    fineTune(pair.base(), OTHERS, pair.others(), steps, 3);
    return pair;
  }

  private static void fineTune(Path base, String task, Path out, int steps, long seed) {
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(base, manager);
      ModelTrainer.train(model, List.of(Tasks.parse(task)), new TrainingPlan(steps, 32, 3e-3f, 1e-3f, 0, seed), manager,
          TrainingListener.SILENT);
      ModelCheckpoints.save(model, out, Map.of());
    }
  }
}
