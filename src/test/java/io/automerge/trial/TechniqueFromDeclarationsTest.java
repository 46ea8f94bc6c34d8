package io.automerge.trial;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.cli.AutoMerge;
import io.automerge.eval.Objective;
import io.automerge.eval.TinyCctPair;
import io.automerge.experiment.FixedPlan;
import io.automerge.experiment.FixedPlans;
import io.automerge.export.SearchExport;
import io.automerge.export.SearchOutcome;
import io.automerge.merge.MergeMethods;
import io.automerge.merge.StretchMerge;
import io.automerge.search.BayesianOptimizer;
import io.automerge.search.BlockChoice;
import io.automerge.search.FixedChoices;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.Proposal;
import io.automerge.search.SearchSpace;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technique defined only in test code ({@link StretchMerge}: one file, its searched knob
 * {@code stretch} declared beside its other parameters) and registered here: without a line in
 * {@code search/}, it is searched (the optimizer proposes it and tunes its knob over the declared
 * range), it is one of the fixed plans (RQ1) and the report's baselines, and the report and
 * recipe of a real search on a tiny CCT pair show its parameters. Closing the registration
 * removes it again.
 */
class TechniqueFromDeclarationsTest {
  @TempDir Path dir;

  @Test
  void aTechniqueDeclaredInATestIsSearchedFixedAndReported() throws Exception {
    assertThat(MergeMethods.find(StretchMerge.NAME)).isEmpty();
    try (MergeMethods.Registration registration = MergeMethods.register(new StretchMerge())) {
      // The space: its knob is a dimension of its own, active only for it, over the declared range.
      SearchSpace space = SearchSpace.builder().blocks(List.of("a", "b")).models(2)
          .techniques(List.of("ties", StretchMerge.NAME)).build();
      assertThat(space.scalars()).containsExactly("density", "stretch");
      assertThat(space.techniquesSearching("stretch")).containsExactly(StretchMerge.NAME);
      assertThat(space.range(StretchMerge.NAME, "stretch")).isEqualTo(io.automerge.merge.ParameterSpec.Range.closed(0.5, 1.5));

      // The fixed plans (RQ1) and the report's baselines: at its declared start, equal weights.
      BlockChoice fixed = new BlockChoice(StretchMerge.NAME, Map.of("stretch", 1.0), List.of(0.5, 0.5));
      assertThat(FixedPlans.rq1(2)).extracting(FixedPlan::choice).contains(fixed);
      assertThat(FixedPlans.rq1(2).get(FixedPlans.rq1(2).size() - 1).label()).isEqualTo("rq1 stretch w=0.50 stretch=1.00");
      assertThat(FixedChoices.all(2)).last().isEqualTo(fixed);

      // A real search over it: a spec that lists it, a tiny CCT pair, merges and losses.
      TinyCctPair pair = TinyCctPair.shared();
      SearchSpec spec = new SearchSpec("stretch", pair.base().toString(),
          List.of(new SearchSpec.SourceModel(pair.tops().toString(), TinyCctPair.TOPS),
              new SearchSpec.SourceModel(pair.others().toString(), TinyCctPair.OTHERS)),
          "shape", List.of("ties", StretchMerge.NAME), List.of(0.5, 1.0), 8, 4, new SearchSpec.Validation(100), "1", 13,
          dir.resolve("out").toString()).with(Map.of("warm_start", true, "report", Map.of("test_samples", 100)));
      ResidentTrialBackend backend = ResidentTrialBackend.builder().batchSize(100).testLimit(100).build();
      Segmentation segmentation = backend.segment(spec);
      BayesianOptimizer optimizer = new BayesianOptimizer(spec.space(segmentation.blockNames()),
          OptimizerSettings.builder().seed(spec.seed()).initialPoints(spec.initial()).warmStart(true).candidates(300).build());
      List<SearchOutcome.TrialRecord> trials = new ArrayList<>();
      ExecutorService worker = Executors.newSingleThreadExecutor();
      try {
        worker.submit(() -> {
          try (TrialBackend.Session session = backend.open(spec, segmentation, Device.cpu())) {
            for (int i = 0; i < spec.trials(); i++) {
              Proposal p = optimizer.ask();
              session.apply(p.plan());
              Map<String, Double> losses = session.losses();
              double cost = Objective.score(losses, session.sourceLosses()).cost();
              optimizer.tell(p.trialNumber(), cost);
              trials.add(new SearchOutcome.TrialRecord(p.trialNumber(), p.plan(), cost, losses, "w0", 1, null));
            }
          }
          return null;
        }).get();
      } finally {
        worker.shutdown();
      }
      List<Double> stretches = trials.stream().flatMap(t -> t.plan().blocks().values().stream())
          .filter(c -> c.technique().equals(StretchMerge.NAME)).map(c -> c.parameter("stretch")).toList();
      System.out.printf("stretch proposed in %d blocks of %d trials, stretch values %s; costs %s%n", stretches.size(),
          trials.size(), stretches, trials.stream().map(SearchOutcome.TrialRecord::cost).toList());
      assertThat(trials.get(1).plan().blocks().values()).allMatch(fixed::equals); // the warm start's second plan
      assertThat(stretches).allSatisfy(s -> assertThat(s).isBetween(0.5, 1.5));
      assertThat(stretches.stream().distinct().count()).as("the search tunes the declared knob").isGreaterThan(2);
      assertThat(trials).allSatisfy(t -> assertThat(t.cost()).isFinite());

      // The export: the best plan with a stretch block, the baselines, the recipe.
      SearchOutcome.TrialRecord best = trials.stream()
          .filter(t -> t.plan().blocks().values().stream().anyMatch(c -> c.technique().equals(StretchMerge.NAME)))
          .min((a, b) -> Double.compare(a.cost(), b.cost())).orElseThrow();
      SearchOutcome outcome = new SearchOutcome(spec, segmentation, best.id(), best.plan(), best.losses(), best.cost(),
          trials, List.of(), 1000);
      TrialBackend.ExportResult result = backend.export(outcome);
      Path out = Path.of(result.dir());
      JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
      JsonNode baseline = null;
      for (JsonNode f : report.at("/fixed")) {
        if (f.get("technique").asText().equals(StretchMerge.NAME)) {
          baseline = f;
        }
      }
      assertThat(baseline).as("the stretch baseline in %s", report.at("/fixed")).isNotNull();
      assertThat(baseline.at("/parameters/stretch").asDouble()).isEqualTo(1.0);
      assertThat(baseline.at("/preservation_rate/" + TinyCctPair.TOPS.replace("/", "~1")).asDouble()).isPositive();
      assertThat(report.at("/fixed")).hasSize(SearchSpec.techniquesFor(2).size());
      boolean reported = false;
      for (String block : segmentation.blockNames()) {
        JsonNode choice = report.at("/best/plan/" + block);
        if (choice.get("technique").asText().equals(StretchMerge.NAME)) {
          assertThat(choice.at("/parameters/stretch").asDouble()).isEqualTo(best.plan().block(block).parameter("stretch"));
          reported = true;
        }
      }
      assertThat(reported).isTrue();
      // the fixed table's stretch row, and the exported block's searched value as report.md prints it
      double exported = best.plan().blocks().values().stream().filter(c -> c.technique().equals(StretchMerge.NAME))
          .findFirst().orElseThrow().parameter("stretch");
      assertThat(Files.readString(out.resolve("report.md")))
          .contains("| stretch |", String.format(java.util.Locale.ROOT, "stretch %.4f", exported));
      String recipe = Files.readString(out.resolve("recipe.yaml"));
      assertThat(recipe).contains("merge_method: stretch", "stretch:");
      // The recipe is a plain recipe: `automerge merge` gives the exported model, byte for byte.
      Path again = dir.resolve("again");
      assertThat(AutoMerge.execute("merge", out.resolve("recipe.yaml").toString(), again.toString())).isZero();
      assertThat(SearchExport.sha256(again)).isEqualTo(result.sha256());
    }
    assertThat(MergeMethods.find(StretchMerge.NAME)).isEmpty();
    assertThat(FixedPlans.rq1(2)).extracting(FixedPlan::technique).doesNotContain(StretchMerge.NAME);
  }
}
