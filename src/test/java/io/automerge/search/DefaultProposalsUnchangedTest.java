package io.automerge.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The space built from the techniques' declarations proposes, for the specs users already have
 * (the default techniques, with and without {@code lambda:}, free and simplex weights), exactly
 * the plans the hand-written space proposed: same seed, same trials. The expected lines were
 * recorded with the code before the declarations drove the space (regenerate only on purpose:
 * {@code -Dproposals.record=true}); regenerated once since, when the warm start gained the base
 * model's plan (the free-weight specs' proposals from 6 on; the others are unchanged).
 */
class DefaultProposalsUnchangedTest {
  private static final Path EXPECTED = Path.of("src/test/resources/search/default-proposals.txt");
  private static final List<String> BLOCKS = List.of("embed", "encoder", "head");

  @Test
  void defaultSpecsProposeWhatTheyProposedBefore() throws IOException {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> variant : variants().entrySet()) {
      SearchSpec spec = baseSpec().with(variant.getValue());
      SearchSpace space = spec.space(BLOCKS);
      for (ProposalStrategy.Algorithm algorithm : ProposalStrategy.Algorithm.values()) {
        OptimizerSettings settings = ProposalStrategy.optimizer(algorithm).settings(spec);
        Optimizer optimizer = algorithm == ProposalStrategy.Algorithm.BAYESIAN
            ? new BayesianOptimizer(space, settings) : new RandomSearch(space, settings);
        for (int k = 0; k < 16; k++) {
          Proposal p = optimizer.ask();
          lines.add(variant.getKey() + " " + algorithm + " " + k + " " + describe(p.plan()));
          optimizer.tell(p.trialNumber(), cost(p.plan()));
        }
      }
    }
    if (Boolean.getBoolean("proposals.record")) {
      Files.write(EXPECTED, lines);
    }
    assertThat(lines).containsExactlyElementsOf(Files.readAllLines(EXPECTED));
  }

  private static Map<String, Map<String, Object>> variants() {
    Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
    out.put("free", Map.of("weights", "free", "warm_start", true));
    out.put("free-lambda", Map.of("weights", "free", "weight_range", List.of(0.0, 1.5), "lambda", List.of(0.5, 2.0),
        "warm_start", true));
    out.put("simplex", Map.of("weights", "simplex", "density", List.of(0.6, 0.9), "warm_start", false));
    out.put("paper", Map.of("weights", "simplex", "techniques", List.of("linear", "task_arithmetic", "ties",
        "dare_linear", "dare_ties"), "warm_start", false));
    return out;
  }

  private static SearchSpec baseSpec() {
    return new SearchSpec("proposals", "/m/base", List.of(new SearchSpec.SourceModel("/m/a", "a"),
        new SearchSpec.SourceModel("/m/b", "b")), "shape", SearchSpec.DEFAULT_TECHNIQUES, List.of(0.5, 1.0), 16, 6,
        new SearchSpec.Validation(10), "1", 17, "/tmp/out");
  }

  /** A deterministic cost with a landscape the forest can learn from (technique, weights, density, lambda). */
  private static double cost(TrialPlan plan) {
    double cost = 1;
    int b = 0;
    for (BlockChoice choice : plan.blocks().values()) {
      b++;
      cost += 0.1 * ((choice.technique().hashCode() & 0xff) % (3 + b)) + Math.abs(choice.weights().get(0) - 0.3 * b);
      if (choice.density() != null) {
        cost += Math.abs(choice.density() - 0.7);
      }
      if (choice.lambda() != null) {
        cost += 0.5 * Math.abs(choice.lambda() - 1.2);
      }
    }
    return cost;
  }

  private static String describe(TrialPlan plan) {
    StringBuilder out = new StringBuilder();
    plan.blocks().forEach((block, c) -> out.append(block).append('=').append(c.technique())
        .append(c.weights().stream().map(w -> String.format(Locale.ROOT, "%.12f", w)).toList())
        .append(" d=").append(c.density() == null ? "-" : String.format(Locale.ROOT, "%.12f", c.density()))
        .append(" l=").append(c.lambda() == null ? "-" : String.format(Locale.ROOT, "%.12f", c.lambda())).append("; "));
    return out.toString().trim();
  }
}
