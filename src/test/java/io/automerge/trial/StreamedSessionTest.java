package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.automerge.eval.Objective;
import io.automerge.export.PlanRecipe;
import io.automerge.merge.bench.AnonMemoryProbe;
import io.automerge.search.BlockChoice;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.Proposal;
import io.automerge.search.RandomSearch;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed search session on a BF16 Llama pair (base and sources memory-mapped, one resident
 * float32 model): blocks whose technique and parameters did not change keep their tensors, and
 * fifty trials leave native memory, direct buffers and the session's arrays where they were.
 */
@Tag("own-jvm") // measures native memory: see pom.xml
class StreamedSessionTest {
  @TempDir static Path dir;
  static Bf16LlamaPair pair;

  @BeforeAll
  static void models() {
    pair = Bf16LlamaPair.create(dir.resolve("pair"), 256, 512, 2);
  }

  private static ResidentSession open(SearchSpec spec, Segmentation segmentation) {
    ResidentSession session = ResidentSession.open(spec, segmentation, Device.cpu(), 8);
    assertThat(session.cachesSources()).as("cache_sources_on_device: off streams").isFalse();
    return session;
  }

  private static TrialPlan plan(Segmentation segmentation, String changed, BlockChoice choice) {
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    for (String block : segmentation.blockNames()) {
      blocks.put(block, block.equals(changed) ? choice : new BlockChoice("linear", List.of(0.3, 0.7), null));
    }
    return new TrialPlan(blocks);
  }

  @Test
  void aBlockWhoseTechniqueAndParametersDidNotChangeKeepsItsTensors() {
    SearchSpec spec = pair.spec("skip", "cache_sources_on_device: off\n");
    Segmentation segmentation = ResidentTrialBackend.builder().batchSize(8).build().segment(spec);
    assertThat(segmentation.blocks()).hasSizeGreaterThan(2);
    Segment changed = segmentation.blocks().get(1);
    TrialPlan first = plan(segmentation, null, null);
    TrialPlan second = plan(segmentation, changed.name(), new BlockChoice("dare_ties", List.of(0.6, 0.4), 0.7));
    try (ResidentSession session = open(spec, segmentation)) {
      session.apply(first);
      assertThat(session.lastApplied().blocksKept()).isZero();
      session.apply(second);
      StreamedWeights.Applied applied = session.lastApplied();
      assertThat(applied.blocksWritten()).isEqualTo(1);
      assertThat(applied.blocksKept()).isEqualTo(segmentation.blocks().size() - 1);
      assertThat(applied.tensorsWritten()).isEqualTo(changed.tensors().size());
      Map<String, float[]> kept = snapshot(session);

      // The same weights as writing the second plan from scratch.
      try (NDManager manager = NDManager.newBaseManager();
          StreamedWeights fresh = StreamedWeights.open(Path.of(spec.baseModel()), List.of(pair.sources().get(0), pair.sources().get(1)),
              spec.seed(), null, "off", () -> 0, manager);
          NDManager scope = manager.newSubManager()) {
        fresh.apply(PlanRecipe.of(spec, segmentation, second, fresh.checkpointTensors()), scope);
        fresh.resident().model().parametersByName().forEach((name, p) ->
            assertThat(kept.get(name)).as(name).isEqualTo(p.getArray().toFloatArray()));
      }

      session.apply(second);
      assertThat(session.lastApplied().tensorsWritten()).as("nothing changed").isZero();
      session.sourceScores(true); // loads each source into the model: every block must be written again
      session.apply(second);
      assertThat(session.lastApplied().blocksKept()).isZero();
      assertThat(snapshot(session)).allSatisfy((name, values) -> assertThat(values).as(name).isEqualTo(kept.get(name)));
    }
  }

  private static Map<String, float[]> snapshot(ResidentSession session) {
    Map<String, float[]> out = new LinkedHashMap<>();
    session.model().parametersByName().forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
    return out;
  }

  @Test
  void fiftyStreamedTrialsKeepNativeMemoryFlat() {
    SearchSpec spec = pair.spec("flat", "cache_sources_on_device: off\n");
    Segmentation segmentation = ResidentTrialBackend.builder().batchSize(8).build().segment(spec);
    RandomSearch random = new RandomSearch(spec.space(segmentation.blockNames()), OptimizerSettings.defaults(9));
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    long modelBytes;
    try (ResidentSession session = open(spec, segmentation)) {
      modelBytes = session.model().parameterCount() * 4;
      int arrays = -1;
      long nativeAtTen = 0;
      long directAtTen = 0;
      for (int i = 1; i <= 50; i++) {
        Proposal p = random.ask();
        session.apply(p.plan());
        random.tell(p.trialNumber(), Objective.score(session.losses(), session.sourceLosses()).cost());
        if (i == 1) {
          arrays = session.residentArrays();
        }
        assertThat(session.residentArrays()).as("arrays held after trial %d", i).isEqualTo(arrays);
        if (i == 10) {
          nativeAtTen = nativeBytes();
          directAtTen = direct.getMemoryUsed();
        }
      }
      long nativeGrowth = nativeBytes() - nativeAtTen;
      long directGrowth = direct.getMemoryUsed() - directAtTen;
      System.out.printf("50 streamed trials, model %.1f MiB float32: native memory %+.1f MiB, direct buffers %+.1f MiB from trial 10 to 50%n",
          modelBytes / 1048576.0, nativeGrowth / 1048576.0, directGrowth / 1048576.0);
      // One leaked model copy per trial would add 40 x 5.6 MiB here.
      assertThat(nativeGrowth).as("native memory growth over 40 trials").isLessThan(2 * modelBytes + (16L << 20));
      assertThat(directGrowth).as("direct buffers growth over 40 trials").isLessThan(1L << 20);
    }
  }

  /** Anonymous memory outside the Java heap: native tensors, direct buffers, the JVM's own. */
  private static long nativeBytes() {
    return AnonMemoryProbe.rssAnonBytes() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }
}
