package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.automerge.eval.Objective;
import io.automerge.eval.TinyCctPair;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import io.automerge.trial.ResidentTrialBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GpuWorker with the real resident backend on a tiny CCT pair: real merges, real losses, real faults. */
class GpuWorkerTest {
  static final ActorTestKit testKit = ActorTestKit.create(SearchCoordinatorTest.CONFIG);
  @TempDir static Path dir;
  static TinyCctPair pair;
  static ResidentTrialBackend backend = ResidentTrialBackend.builder().batchSize(200).testLimit(200).build();

  @BeforeAll
  static void train() {
    pair = TinyCctPair.shared();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static SearchSpec spec(String id, Path tops) {
    return new SearchSpec(id, pair.base().toString(),
        List.of(new SearchSpec.SourceModel(tops.toString(), TinyCctPair.TOPS),
            new SearchSpec.SourceModel(pair.others().toString(), TinyCctPair.OTHERS)),
        "shape", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0), 4, 2, new SearchSpec.Validation(200), "1", 5,
        dir.resolve("out-" + id).toString());
  }

  static TrialPlan plan(Segmentation segmentation, String technique, double weight) {
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    segmentation.blockNames().forEach(b -> blocks.put(b,
        new BlockChoice(technique, List.of(weight, 1 - weight), io.automerge.merge.MergeMethods.find(technique).orElseThrow().parameter("density") != null ? 0.8 : null)));
    return new TrialPlan(blocks);
  }

  private ActorRef<GpuWorker.Command> worker(String name) {
    return testKit.spawn(GpuWorker.create(name, Device.cpu(), backend), name, DispatcherSelector.fromConfig(GpuWorker.DISPATCHER));
  }

  @Test
  void runsTrialsOnResidentModelsAndScoresThemWithTheObjective() {
    SearchSpec spec = spec("worker-ok", pair.tops());
    Segmentation segmentation = backend.segment(spec);
    ActorRef<GpuWorker.Command> worker = worker("w-ok");
    TestProbe<GpuWorker.TrialOutcome> probe = testKit.createTestProbe();

    worker.tell(new GpuWorker.LoadSearch(spec.id(), spec, segmentation));
    worker.tell(new GpuWorker.RunTrial(spec.id(), 1, plan(segmentation, "ties", 0.5), false, probe.getRef()));
    var first = probe.expectMessageClass(GpuWorker.TrialSucceeded.class, Duration.ofSeconds(60));
    worker.tell(new GpuWorker.RunTrial(spec.id(), 2, plan(segmentation, "linear", 1.0), false, probe.getRef()));
    var second = probe.expectMessageClass(GpuWorker.TrialSucceeded.class, Duration.ofSeconds(60));

    assertThat(first.trial()).isEqualTo(1);
    assertThat(first.worker()).isEqualTo("w-ok");
    assertThat(first.losses()).containsOnlyKeys(TinyCctPair.TOPS, TinyCctPair.OTHERS);
    assertThat(first.cost()).isEqualTo(Objective.score(first.losses(), sourceLosses(spec, segmentation)).cost());
    // linear with weight 1 is the tops model itself: its own task's loss is the source loss.
    assertThat(second.losses().get(TinyCctPair.TOPS)).isCloseTo(sourceLosses(spec, segmentation).get(TinyCctPair.TOPS),
        org.assertj.core.data.Offset.offset(1e-5));
    assertThat(second.cost()).isNotEqualTo(first.cost());
  }

  @Test
  void aCorruptSourceFileIsATrialErrorNamingTheFile() throws IOException {
    Path corrupt = dir.resolve("tops-corrupt");
    Files.createDirectories(corrupt);
    Files.copy(pair.tops().resolve("config.json"), corrupt.resolve("config.json"));
    byte[] weights = Files.readAllBytes(pair.tops().resolve("model.safetensors"));
    Files.write(corrupt.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2), StandardOpenOption.CREATE);
    SearchSpec spec = spec("worker-corrupt", corrupt);
    Segmentation segmentation = backend.segment(spec); // the base is fine
    TestProbe<GpuWorker.TrialOutcome> probe = testKit.createTestProbe();
    ActorRef<GpuWorker.Command> worker = worker("w-corrupt");

    worker.tell(new GpuWorker.LoadSearch(spec.id(), spec, segmentation));
    worker.tell(new GpuWorker.RunTrial(spec.id(), 1, plan(segmentation, "ties", 0.5), false, probe.getRef()));
    var error = probe.expectMessageClass(GpuWorker.TrialError.class, Duration.ofSeconds(60));
    assertThat(error.reason()).contains("model.safetensors").contains("tops-corrupt");
    assertThat(error.trial()).isEqualTo(1);

    // The worker is still alive and serves the next search.
    SearchSpec good = spec("worker-after-corrupt", pair.tops());
    worker.tell(new GpuWorker.LoadSearch(good.id(), good, segmentation));
    worker.tell(new GpuWorker.RunTrial(good.id(), 1, plan(segmentation, "linear", 0.5), false, probe.getRef()));
    probe.expectMessageClass(GpuWorker.TrialSucceeded.class, Duration.ofSeconds(60));
  }

  @Test
  void aTrialOfASearchNeverLoadedIsAnsweredWithSearchNotLoadedNotAFailure() {
    SearchSpec spec = spec("worker-unloaded", pair.tops());
    Segmentation segmentation = backend.segment(spec);
    ActorRef<GpuWorker.Command> worker = worker("w-unloaded");
    TestProbe<GpuWorker.TrialOutcome> probe = testKit.createTestProbe();

    worker.tell(new GpuWorker.RunTrial(spec.id(), 3, plan(segmentation, "linear", 0.5), false, probe.getRef()));
    assertThat(probe.expectMessageClass(GpuWorker.SearchNotLoaded.class, Duration.ofSeconds(60)).trial()).isEqualTo(3);
    worker.tell(new GpuWorker.LoadSearch(spec.id(), spec, segmentation));
    worker.tell(new GpuWorker.RunTrial(spec.id(), 3, plan(segmentation, "linear", 0.5), false, probe.getRef()));
    assertThat(probe.expectMessageClass(GpuWorker.TrialSucceeded.class, Duration.ofSeconds(60)).trial()).isEqualTo(3);
  }

  private static Map<String, Double> sourceLosses(SearchSpec spec, Segmentation segmentation) {
    try (var session = backend.open(spec, segmentation, Device.cpu())) {
      return session.sourceLosses();
    }
  }
}
