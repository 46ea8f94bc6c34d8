package io.automerge.experiment;

import io.automerge.trial.WholeModelScores;
import io.automerge.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Test-split PR of every RQ2 grid point, for the heatmaps. Computed once and kept in
 * {@code DIR/rq2-test.json}: a rerun with the same spec, grid and test sample count reuses it.
 */
public final class GridTestScores {
  public static final String FILE = "rq2-test.json";

  private GridTestScores() {}

  /** Label of a grid point ({@link FixedPlan#label()}) → task → PR %. */
  @SuppressWarnings("unchecked")
  public static Map<String, Map<String, Double>> loadOrCompute(ExperimentRun fixed, Path dir, int testSamples, int batchSize, IntConsumer done) {
    List<FixedPlan> grid = ((RunStrategy.Fixed) fixed.strategy()).plans().stream()
        .filter(p -> p.question().equals(FixedPlan.RQ2)).toList();
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("search", fixed.spec().id());
    key.put("test_samples_per_task", testSamples);
    key.put("plans", grid.stream().map(FixedPlan::label).toList());
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        Map<String, Object> cached = Json.mapper().readValue(file.toFile(), Map.class);
        if (key.equals(cached.get("key"))) {
          return (Map<String, Map<String, Double>>) cached.get("pr");
        }
      } catch (IOException e) {
        // unreadable (e.g. cut short): compute again
      }
    }
    List<WholeModelScores.Score> scores = WholeModelScores.score(fixed.spec(), grid.stream().map(FixedPlan::choice).toList(),
        testSamples, 250, done);
    Map<String, Map<String, Double>> pr = new LinkedHashMap<>();
    for (int i = 0; i < grid.size(); i++) {
      pr.put(grid.get(i).label(), scores.get(i).preservationRate());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", key);
    out.put("pr", pr);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + FILE + ".tmp");
      Files.writeString(tmp, Json.pretty(out) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return pr;
  }
}
