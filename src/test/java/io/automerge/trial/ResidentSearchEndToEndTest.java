package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.cli.AutoMerge;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.Tasks;
import io.automerge.eval.Evaluation;
import io.automerge.eval.Objective;
import io.automerge.eval.TinyCctPair;
import io.automerge.export.SearchExport;
import io.automerge.export.SearchOutcome;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import io.automerge.search.BayesianOptimizer;
import io.automerge.search.BlockChoice;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.Proposal;
import io.automerge.search.RandomSearch;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny CCT pair trained in the test (base on all ten classes, sources on two class subsets),
 * searched in-process through {@link ResidentTrialBackend}, then exported.
 */
class ResidentSearchEndToEndTest {
  private static final String TOPS = "fashion-mnist:tops";
  private static final String OTHERS = "fashion-mnist:others";

  @TempDir static Path dir;
  private static Path base;
  private static Path tops;
  private static Path others;

  @BeforeAll
  static void trainTinyPair() {
    TinyCctPair pair = TinyCctPair.shared();
    base = pair.base();
    tops = pair.tops();
    others = pair.others();
  }

  private static SearchSpec spec(String id, int samples) {
    return new SearchSpec(id, base.toString(),
        List.of(new SearchSpec.SourceModel(tops.toString(), TOPS), new SearchSpec.SourceModel(others.toString(), OTHERS)),
        "shape", io.automerge.merge.MergeMethods.allNames(), List.of(0.5, 1.0), 12, 4, new SearchSpec.Validation(samples), "1", 11,
        dir.resolve("out-" + id).toString());
  }

  private static ResidentTrialBackend backend() {
    return ResidentTrialBackend.builder().batchSize(200).testLimit(300).build();
  }

  @Test
  void bayesianTrialsOverRealMergesImproveOnTheFirstSobolPointWithoutWritingFiles() throws Exception {
    SearchSpec spec = spec("bo", 300);
    ResidentTrialBackend backend = backend();
    Segmentation segmentation = backend.segment(spec);
    assertThat(segmentation.blockNames()).containsExactly("tokenizer", "encoder", "pooling_head");

    BayesianOptimizer optimizer = new BayesianOptimizer(spec.space(segmentation.blockNames()),
        OptimizerSettings.builder().seed(spec.seed()).initialPoints(4).candidates(500).build());
    Map<String, Long> filesBefore = snapshot(dir);
    List<Double> costs = new ArrayList<>();
    // On a thread of its own, as a worker runs (PyTorch's main-thread settings differ).
    ExecutorService worker = Executors.newSingleThreadExecutor();
    long trialNanos = worker.submit(() -> runTrials(backend, spec, segmentation, optimizer, costs)).get();
    worker.shutdown();
    System.out.printf("tiny CCT pair, 2 x 300 val images: %.1f ms per trial (apply + losses); costs %s%n",
        trialNanos / 1e6 / spec.trials(), costs);
    double best = costs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertThat(best).isLessThan(costs.get(0));
    assertThat(snapshot(dir)).isEqualTo(filesBefore);
  }

  private static long runTrials(ResidentTrialBackend backend, SearchSpec spec, Segmentation segmentation,
      BayesianOptimizer optimizer, List<Double> costs) {
    long trialNanos = 0;
    try (TrialBackend.Session session = backend.open(spec, segmentation, Device.cpu())) {
      assertThat(session.sourceLosses()).containsOnlyKeys(TOPS, OTHERS);
      for (int i = 0; i < spec.trials(); i++) {
        Proposal proposal = optimizer.ask();
        long start = System.nanoTime();
        session.apply(proposal.plan());
        Map<String, Double> losses = session.losses();
        trialNanos += System.nanoTime() - start;
        Objective.Score score = Objective.score(losses, session.sourceLosses());
        assertThat(score.failed()).as(score.reason()).isFalse();
        optimizer.tell(proposal.trialNumber(), score.cost());
        costs.add(score.cost());
      }
    }
    return trialNanos;
  }

  /** As the actors use it: opened and merged on the worker's thread, evaluated on the Evaluator's. */
  @Test
  void fiftyTrialsAcrossThreadsKeepMemoryFlatAndSourceLossesAreTheSourcesOwn() throws Exception {
    SearchSpec spec = spec("resident", 200);
    ResidentTrialBackend backend = backend();
    Segmentation segmentation = backend.segment(spec);
    RandomSearch random = new RandomSearch(spec.space(segmentation.blockNames()), OptimizerSettings.defaults(5));
    ExecutorService worker = Executors.newSingleThreadExecutor();
    ExecutorService evaluator = Executors.newSingleThreadExecutor();
    try (ResidentSession session = (ResidentSession) worker.submit(() -> backend.open(spec, segmentation, Device.cpu())).get()) {
      int resident = session.residentArrays();
      long start = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        Proposal p = random.ask();
        worker.submit(() -> session.apply(p.plan())).get();
        Map<String, Double> losses = evaluator.submit(session::losses).get();
        random.tell(p.trialNumber(), Objective.score(losses, session.sourceLosses()).cost());
        assertThat(session.residentArrays()).as("arrays held after trial %d", i).isEqualTo(resident);
      }
      System.out.printf("tiny CCT pair, 2 x 200 val images: %.1f ms per random trial over 50%n", (System.nanoTime() - start) / 1e6 / 50);

      // Source losses are each source's own model on its own task.
      try (NDManager manager = NDManager.newBaseManager()) {
        ArchitectureModel source = ModelCheckpoints.load(tops, manager);
        Task task = Tasks.parse(TOPS);
        assertThat(session.sourceLosses().get(TOPS))
            .isCloseTo(Evaluation.meanLoss(source, task, Split.VAL, 200, 200, manager), within(1e-6));
      }
    } finally {
      worker.shutdown();
      evaluator.shutdown();
    }
  }

  @Test
  void exportWritesARecipeThatReproducesTheModelBitExactlyAndAReport() throws Exception {
    SearchSpec spec = spec("export", 200);
    ResidentTrialBackend backend = backend();
    Segmentation segmentation = backend.segment(spec);
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    blocks.put("tokenizer", new BlockChoice("linear", List.of(0.3, 0.7), null));
    blocks.put("encoder", new BlockChoice("dare_ties", List.of(0.6, 0.4), 0.7));
    blocks.put("pooling_head", new BlockChoice("ties", List.of(0.5, 0.5), 0.8));
    TrialPlan plan = new TrialPlan(blocks);
    Map<String, Double> losses;
    double cost;
    try (TrialBackend.Session session = backend.open(spec, segmentation, Device.cpu())) {
      session.apply(plan);
      losses = session.losses();
      cost = Objective.score(losses, session.sourceLosses()).cost();
    }
    SearchOutcome outcome = new SearchOutcome(spec, segmentation, 0, plan, losses, cost,
        List.of(new SearchOutcome.TrialRecord(0, plan, cost, losses, "test", 5, null),
            new SearchOutcome.TrialRecord(1, plan, null, null, "test", 5, "IllegalStateException: boom")), List.of(), 1234);

    TrialBackend.ExportResult result = backend.export(outcome);
    Path out = Path.of(result.dir());
    assertThat(result.files()).contains("recipe.yaml", "report.json", "report.md", "model/config.json", "model/model.safetensors");
    assertThat(result.sha256()).isEqualTo(SearchExport.sha256(out.resolve("model")));

    // The resident trial and the exported checkpoint are the same model.
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel merged = ModelCheckpoints.load(out.resolve("model"), manager);
      for (String task : List.of(TOPS, OTHERS)) {
        assertThat(Evaluation.meanLoss(merged, Tasks.parse(task), Split.VAL, 200, 200, manager))
            .as(task).isCloseTo(losses.get(task), within(1e-5));
      }
    }

    // automerge merge recipe.yaml gives the same bytes.
    Path again = dir.resolve("again");
    int exit = AutoMerge.execute("merge", out.resolve("recipe.yaml").toString(), again.toString());
    assertThat(exit).isZero();
    assertThat(SearchExport.sha256(again)).isEqualTo(result.sha256());
    assertThat(Files.readAllBytes(again.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(out.resolve("model/model.safetensors")));

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.at("/preservation_rate").size()).isEqualTo(2);
    assertThat(report.at("/preservation_rate/" + escape(TOPS)).asDouble()).isPositive();
    assertThat(report.at("/fixed")).hasSize(io.automerge.search.SearchSpec.techniquesFor(2).size()); // every technique
    assertThat(report.at("/fixed/2/technique").asText()).isEqualTo("ties");
    assertThat(report.at("/fixed/2/parameters/density").asDouble()).isEqualTo(0.65);
    assertThat(report.at("/best/plan/encoder/parameters/density").asDouble()).isEqualTo(0.7);
    assertThat(report.at("/test/merged/" + escape(OTHERS) + "/top1").asDouble()).isBetween(0.0, 1.0);
    assertThat(report.at("/trials/failed").asInt()).isEqualTo(1);
    assertThat(report.at("/best/plan/encoder/technique").asText()).isEqualTo("dare_ties");
    double pd = report.at("/preservation_discrepancy").asDouble();
    double prTops = report.at("/preservation_rate/" + escape(TOPS)).asDouble();
    double prOthers = report.at("/preservation_rate/" + escape(OTHERS)).asDouble();
    assertThat(pd).isCloseTo(Math.abs(prTops - prOthers), within(1e-9));
    assertThat(Files.readString(out.resolve("report.md"))).contains("| **AutoMerge** |", "| dare_ties |", "trial 1: IllegalStateException: boom",
        "| base model (no merge) |");
    // The unmerged base model beside the fixed techniques: its own test scores, PR against each source.
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel unmerged = ModelCheckpoints.load(base, manager);
      for (String task : List.of(TOPS, OTHERS)) {
        assertThat(report.at("/base/test/" + escape(task) + "/loss").asDouble()).as(task)
            .isCloseTo(Evaluation.meanLoss(unmerged, Tasks.parse(task), Split.TEST, 300, 200, manager), within(1e-5));
        double top1 = report.at("/base/test/" + escape(task) + "/top1").asDouble();
        double sourceTop1 = report.at("/test/sources/" + escape(task) + "/" + escape(task) + "/top1").asDouble();
        double sourceTop5 = report.at("/test/sources/" + escape(task) + "/" + escape(task) + "/top5").asDouble();
        double top5 = report.at("/base/test/" + escape(task) + "/top5").asDouble();
        assertThat(report.at("/base/preservation_rate/" + escape(task)).asDouble()).as(task)
            .isCloseTo(100 * (top1 / sourceTop1 + top5 / sourceTop5) / 2, within(1e-9));
      }
    }

    // A second export of the same search replaces the first.
    assertThat(backend.export(outcome).sha256()).isEqualTo(result.sha256());
  }

  @Test
  void roleGroupsGetTheirOwnChoicesAndTheReportAndRecipeNameThem() throws Exception {
    SearchSpec spec = spec("groups", 100).with(Map.of("groups", List.of("attention", "mlp"), "report", Map.of("baselines", false)));
    ResidentTrialBackend backend = backend();
    Segmentation segmentation = backend.segment(spec);
    assertThat(segmentation.blockNames()).contains("encoder.attention", "encoder.mlp", "encoder.other");
    Map<String, BlockChoice> blocks = new LinkedHashMap<>();
    for (String block : segmentation.blockNames()) {
      blocks.put(block, new BlockChoice("linear", List.of(0.5, 0.5), null));
    }
    blocks.put("encoder.attention", new BlockChoice("ties", List.of(0.6, 0.4), 0.8));
    blocks.put("encoder.mlp", new BlockChoice("task_arithmetic", List.of(0.2, 0.3), null));
    TrialPlan plan = new TrialPlan(blocks);
    Map<String, Double> losses;
    try (TrialBackend.Session session = backend.open(spec, segmentation, Device.cpu())) {
      session.apply(plan);
      losses = session.losses();
    }
    SearchOutcome outcome = new SearchOutcome(spec, segmentation, 0, plan, losses, 0.5,
        List.of(new SearchOutcome.TrialRecord(0, plan, 0.5, losses, "test", 5, null)), List.of(), 1);
    TrialBackend.ExportResult result = backend.export(outcome);
    Path out = Path.of(result.dir());

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.at("/best/plan/encoder.attention/technique").asText()).isEqualTo("ties");
    assertThat(report.at("/best/plan/encoder.mlp/technique").asText()).isEqualTo("task_arithmetic");
    assertThat(report.has("base")).as("baselines: false leaves the base model's scores out too").isFalse();
    assertThat(Files.readString(out.resolve("report.md"))).contains("groups:attention,mlp", "| encoder.attention |", "| encoder.mlp |");
    String recipe = Files.readString(out.resolve("recipe.yaml"));
    assertThat(recipe).contains("name: encoder.attention", "name: encoder.mlp", "name: encoder.other");
    // the groups' patterns split the encoder's tensors exactly: the recipe rebuilds the same bytes
    Path again = dir.resolve("again-groups");
    assertThat(AutoMerge.execute("merge", out.resolve("recipe.yaml").toString(), again.toString())).isZero();
    assertThat(SearchExport.sha256(again)).isEqualTo(result.sha256());
  }

  private static String escape(String jsonPointerToken) {
    return jsonPointerToken.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, Long> snapshot(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() ^ Files.size(p));
      }
    }
    return files;
  }
}
