package io.automerge.experiment;

import io.automerge.search.SearchSpec;

/**
 * One search of an experiment. {@code spec.id()} is derived from the user's spec id, the method
 * and the seed, so a rerun finds the same search in the journal and does not redo it.
 *
 * @param method one of {@link ExperimentPlan#FIXED}, {@code automerge}, {@code automerge_whole}, {@code random}
 * @param seedIndex 0 … seeds − 1 (0 for the fixed plans)
 */
public record ExperimentRun(String method, int seedIndex, SearchSpec spec, RunStrategy strategy) {
  public String name() {
    return strategy instanceof RunStrategy.Fixed ? method : method + "-s" + seedIndex;
  }
}
