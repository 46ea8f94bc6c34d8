package io.automerge.trial;

import ai.djl.ndarray.NDManager;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.eval.EvaluationResult;
import io.automerge.eval.ModelTasks;
import io.automerge.eval.Preservation;
import io.automerge.eval.TaskEvaluation;
import io.automerge.model.ArchitectureModel;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Test-split PR of many whole-model settings (one technique on every parameter, as RQ1/RQ2 use):
 * one resident model, each setting streamed into it from the mapped checkpoints, every task scored on the same
 * first {@code testLimit} test examples as the sources.
 */
public final class WholeModelScores {
  /** PR per task (and the metrics behind it) of one setting. */
  public record Score(BlockChoice choice, Map<String, Double> preservationRate, Map<String, EvaluationResult> test) {}

  private WholeModelScores() {}

  public static List<Score> score(SearchSpec spec, List<BlockChoice> choices, int testLimit, int batchSize, IntConsumer done) {
    List<ModelTask> tasks = ModelTasks.ofSearch(spec);
    int n = spec.models().size();
    List<Score> scores = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        StreamedWeights weights = StreamedWeights.open(Path.of(spec.baseModel()),
            spec.models().stream().map(m -> Path.of(m.path())).toList(), spec.seed(), spec.modelDtype(),
            spec.cacheSourcesOnDevice(), CacheSources::hostAvailableBytes, manager)) {
      ArchitectureModel model = weights.resident().model();
      Map<String, Map<String, Double>> sourceMetrics = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        weights.loadSource(i);
        ModelTask own = tasks.get(i);
        Path dir = Path.of(spec.models().get(i).path());
        sourceMetrics.put(own.name(), TaskEvaluation.evaluate(own, model, () -> dir, Split.TEST, testLimit, batchSize, manager)
            .metrics());
      }
      for (int k = 0; k < choices.size(); k++) {
        BlockChoice choice = choices.get(k);
        try (NDManager scope = manager.newSubManager()) {
          weights.apply(io.automerge.export.PlanRecipe.wholeModel(spec, choice), scope);
        }
        Map<String, EvaluationResult> test = new LinkedHashMap<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        try (ScratchCheckpoint.Lazy scratch = ScratchCheckpoint.lazy(model, Path.of(spec.baseModel()))) {
          for (ModelTask task : tasks) {
            EvaluationResult r = TaskEvaluation.evaluate(task, model, scratch, Split.TEST, testLimit, batchSize, manager);
            test.put(task.name(), r);
            rates.put(task.name(), Preservation.rate(r.metrics(), sourceMetrics.get(task.name()), task.lowerIsBetter()));
          }
        }
        scores.add(new Score(choice, rates, test));
        done.accept(k + 1);
      }
    }
    return scores;
  }
}
