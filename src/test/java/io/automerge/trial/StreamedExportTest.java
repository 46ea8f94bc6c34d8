package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.export.SearchOutcome;
import io.automerge.merge.bench.AnonMemoryProbe;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import io.automerge.tensor.Checkpoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export (merged model, test scores of the sources and the merge, and every fixed-technique
 * baseline) streams like the trials: one resident model, base and sources mapped, no direct
 * buffer per tensor. Measured against the same export with the old resident copies, in the same
 * JVM, so the test shows it sees copies when there are some.
 */
class StreamedExportTest {
  @TempDir static Path dir;
  static Bf16LlamaPair pair;

  @BeforeAll
  static void models() {
    pair = Bf16LlamaPair.create(dir.resolve("pair"), 512, 1024, 6);
  }

  /** Peak growth over one export of RssAnon and of direct buffers, measured in a JVM of its own. */
  record Growth(long anonBytes, long directBytes, JsonNode report) {}

  @Test
  void theExportAndTheBaselinesHoldOneModelAndNoDirectBufferPerTensor() throws Exception {
    long modelBytes;
    long largestTensorBytes = 0;
    try (Checkpoint base = Checkpoint.open(pair.base())) {
      long params = 0;
      for (String name : base.names()) {
        params += base.info(name).numel();
        largestTensorBytes = Math.max(largestTensorBytes, base.info(name).numel() * 4);
      }
      modelBytes = params * 4;
    }
    Growth streamed = export("streamed", "off");
    Growth copies = export("copies", "on");
    System.out.printf("export of a %.1f MiB float32 model with %d baselines: RssAnon peak +%.1f MiB streamed, +%.1f MiB with copies;"
            + " direct buffers peak +%.1f MiB (largest tensor %.1f MiB)%n", modelBytes / 1048576.0, streamed.report().at("/fixed").size(),
        streamed.anonBytes() / 1048576.0, copies.anonBytes() / 1048576.0, streamed.directBytes() / 1048576.0,
        largestTensorBytes / 1048576.0);

    assertThat(streamed.report().at("/fixed")).hasSize(SearchSpec.techniquesFor(2).size());
    // One resident model and one batch's activations; the copies add (N + 1) = 3 float32 models.
    assertThat(streamed.anonBytes()).as("streamed export: RssAnon growth").isLessThan(modelBytes * 3 / 2 + (48L << 20));
    assertThat(copies.anonBytes()).as("the measure sees the copies").isGreaterThan(streamed.anonBytes() + 2 * modelBytes);
    // The merge's two reused output buffers (one is written while the next tensor merges) and the
    // JDK's cached I/O buffer of each thread that writes (the merge's and its writer's), nothing per
    // tensor (a direct buffer per tensor would hold the whole 55 MiB model here).
    assertThat(streamed.directBytes()).as("direct buffers").isLessThanOrEqualTo(4 * largestTensorBytes + (1L << 20));
  }

  private Growth export(String id, String cache) throws Exception {
    SearchSpec spec = pair.spec(id, "cache_sources_on_device: " + cache + "\nbatch_size: 4\nreport: {test_samples: 4}\n");
    Path specFile = dir.resolve("pair").resolve(id + ".yaml");
    assertThat(specFile).exists();
    // A fixed, pre-touched heap: RssAnon then moves only with native memory (tensors, direct buffers).
    List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms384m", "-Xmx384m",
        "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
        specFile.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = null;
    StringBuilder tail = new StringBuilder();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        } else {
          tail.append(line).append('\n');
        }
      }
    }
    assertThat(process.waitFor()).as("export JVM exit; output:\n%s", tail).isZero();
    assertThat(result).as("output:\n%s", tail).isNotNull();
    String[] parts = result.split(" ");
    JsonNode report = ModelCheckpoints.JSON.readTree(Path.of(parts[2]).resolve("report.json").toFile());
    assertThat(spec.cacheSourcesOnDevice()).isEqualTo(cache);
    return new Growth(Long.parseLong(parts[0]), Long.parseLong(parts[1]), report);
  }

  /** Segments, then exports a fixed plan while sampling RssAnon and direct buffers; prints their peak growth. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      SearchSpec spec = SearchSpec.load(Path.of(args[0]));
      ResidentTrialBackend backend = ResidentTrialBackend.builder().build();
      Segmentation segmentation = backend.segment(spec);
      Map<String, BlockChoice> blocks = new LinkedHashMap<>();
      for (String block : segmentation.blockNames()) {
        blocks.put(block, new BlockChoice("ties", List.of(0.5, 0.5), 0.7));
      }
      TrialPlan plan = new TrialPlan(blocks);
      Map<String, Double> losses = Map.of("bsd", 1.0, "artistic", 1.0);
      SearchOutcome outcome = new SearchOutcome(spec, segmentation, 0, plan, losses, 1.0,
          List.of(new SearchOutcome.TrialRecord(0, plan, 1.0, losses, "test", 5, null)), List.of(), 1);
      BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
      long anonBefore = AnonMemoryProbe.rssAnonBytes();
      long directBefore = direct.getMemoryUsed();
      long[] directPeak = {directBefore};
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          directPeak[0] = Math.max(directPeak[0], direct.getMemoryUsed());
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      TrialBackend.ExportResult result;
      long anonPeak;
      try (AnonMemoryProbe probe = AnonMemoryProbe.start(2)) {
        sampler.start();
        result = backend.export(outcome);
        anonPeak = probe.peakBytes();
      } finally {
        sampler.interrupt();
        sampler.join();
      }
      directPeak[0] = Math.max(directPeak[0], direct.getMemoryUsed());
      System.out.println("RESULT " + (anonPeak - anonBefore) + " " + (directPeak[0] - directBefore) + " " + result.dir());
    }
  }
}
