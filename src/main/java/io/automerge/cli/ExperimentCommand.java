package io.automerge.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import io.automerge.actors.SearchState;
import io.automerge.cluster.CassandraConnection;
import io.automerge.cluster.CassandraSettings;
import io.automerge.cluster.SearchNode;
import io.automerge.eval.ModelTasks;
import io.automerge.experiment.ExperimentCharts;
import io.automerge.experiment.ExperimentDriver;
import io.automerge.experiment.ExperimentMarkdown;
import io.automerge.experiment.ExperimentPlan;
import io.automerge.experiment.ExperimentResults;
import io.automerge.experiment.ExperimentRun;
import io.automerge.experiment.GridTestScores;
import io.automerge.experiment.RunOutcome;
import io.automerge.search.SearchSpec;
import io.automerge.trial.ResidentTrialBackend;
import io.automerge.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code automerge experiment SPEC}: the paper's comparison on the user's own pair. Every run is a
 * search in the journal with an id derived from the spec id, method and seed, so a rerun skips
 * what is finished and resumes what is not.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Compare AutoMerge with the fixed techniques (paper RQ1/RQ2), the whole-model ablation (RQ5) and random search,",
      "on the pair of a search spec; writes report.md, report.json and PNG charts. Resumable: run it again to continue."
    })
public final class ExperimentCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "Search spec (YAML), as for automerge search.")
  Path specFile;

  @Option(names = "--rq", defaultValue = "1,2,3,default,5,random", split = ",",
      description = "Questions to run: 1 (five techniques), 2 (grids), 3 (AutoMerge, paper's settings), default (AutoMerge with the"
          + " spec's settings), 5 (without segmenter), random (default: ${DEFAULT-VALUE}).")
  List<String> questions;

  @Option(names = "--variant", paramLabel = "NAME:FIELD=VALUE;...",
      description = "Also run the spec with these fields changed, per seed, as row v-NAME (repeatable),"
          + " e.g. 'free:weights=free;lambda=[0.5,1.5]'.")
  List<String> variants = new ArrayList<>();

  @Option(names = "--seeds", defaultValue = "3", description = "Seeds per search kind (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default: the spec's output + '-experiment').")
  Path out;

  @Option(names = "--test-samples", defaultValue = "0",
      description = "Test examples per task each export scores (default 0: the whole test split).")
  int testSamples;

  @Option(names = "--grid-test-samples", defaultValue = "1000",
      description = "Test examples per task for the RQ2 grid's PR heatmaps (0: all; default: ${DEFAULT-VALUE}).")
  int gridTestSamples;

  @Override
  public Integer call() throws Exception {
    SearchSpec spec = SearchSpec.load(specFile);
    ModelTasks.preflight(spec, specFile);
    ExperimentPlan plan = ExperimentPlan.of(spec, new LinkedHashSet<>(questions.stream().map(String::trim).toList()), seeds,
        variants.stream().map(ExperimentPlan.Variant::parse).toList());
    Path dir = (out != null ? out : Path.of(spec.output() + "-experiment")).toAbsolutePath().normalize();
    Config config = CassandraConnection.ensure(ConfigFactory.load());
    ResidentTrialBackend backend = ResidentTrialBackend.builder(config).testLimit(testSamples).build();
    List<RunOutcome> outcomes;
    try (NodeLock lock = NodeLock.acquire("experiment '" + spec.id() + "'", CassandraSettings.from(config));
        SearchNode node = SearchNode.start(config, backend, spec.workerCount())) {
      System.err.printf("experiment %s: %d searches (%s)%n", spec.id(), plan.runs().size(),
          String.join(", ", plan.runs().stream().map(r -> r.name()).toList()));
      ExperimentDriver driver = new ExperimentDriver(node, run -> progress(run.spec()), ExperimentCommand::printFinished);
      outcomes = driver.run(plan);
    }
    Map<String, Map<String, Double>> gridPr = null;
    if (plan.questions().contains("2")) {
      ExperimentRun fixed = plan.runs(ExperimentPlan.FIXED).get(0);
      gridPr = GridTestScores.loadOrCompute(fixed, dir, gridTestSamples, 250, done -> {
        if (done % 10 == 0) {
          System.err.printf("RQ2 grid on test: %d points scored%n", done);
        }
      });
    }
    Map<String, Object> report = ExperimentResults.build(plan, outcomes, testSamples, gridPr, gridTestSamples);
    write(report, dir);
    System.err.println("experiment " + spec.id() + ": report.md, report.json and charts in " + dir);
    return 0;
  }

  private static ExperimentDriver.Progress progress(SearchSpec spec) {
    SearchProgress bar = new SearchProgress(spec);
    return new ExperimentDriver.Progress() {
      @Override
      public void update(SearchState state) {
        bar.update(state);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /** One JSON line per finished run on stdout: what a script (or the resume test) follows. */
  private static void printFinished(RunOutcome o) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("run", o.run().name());
    line.put("search", o.run().spec().id());
    line.put("completed_before", o.completedBefore());
    line.put("completed_now", o.completedNow());
    line.put("best_cost", o.state().best().map(SearchState.Trial::cost).orElse(null));
    System.out.println(Json.line(line));
    System.out.flush();
  }

  /** Everything is drawn into a temporary directory beside DIR, then moved in file by file. */
  private static void write(Map<String, Object> report, Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException("--out: " + dir + " is not a directory");
    }
    Path tmp = Files.createTempDirectory(dir, ".report-");
    try {
      List<String> figures = ExperimentCharts.write(report, tmp);
      Files.writeString(tmp.resolve("report.json"), Json.pretty(report) + "\n", StandardCharsets.UTF_8);
      Files.writeString(tmp.resolve("report.md"), ExperimentMarkdown.render(report, figures), StandardCharsets.UTF_8);
      List<String> names = new ArrayList<>(figures);
      names.addAll(Arrays.asList("report.json", "report.md"));
      for (String name : names) {
        Files.move(tmp.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      try (Stream<Path> left = Files.list(tmp)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(tmp);
    }
  }

}
