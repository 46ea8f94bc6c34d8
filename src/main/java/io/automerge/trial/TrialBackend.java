package io.automerge.trial;

import ai.djl.Device;
import io.automerge.eval.TaskScore;
import io.automerge.export.SearchOutcome;
import io.automerge.search.SearchSpec;
import io.automerge.search.TrialPlan;
import io.automerge.segment.Segmentation;
import java.util.List;
import java.util.Map;

/**
 * The plain-Java work the actors sequence: segmentation, resident trials, export. Actors never
 * touch tensors themselves; they call this on a dispatcher meant for blocking native work.
 */
public interface TrialBackend {

  /** Cuts the base model into blocks as the spec's segmentation mode says. */
  Segmentation segment(SearchSpec spec);

  /** Opens one resident model and the validation batches on a device (base and sources stay mapped), once per search and worker. */
  Session open(SearchSpec spec, Segmentation segmentation, Device device);

  /** Writes the best plan's merged model, recipe and report into {@code outcome.spec().output()}. */
  ExportResult export(SearchOutcome outcome);

  /** One model and the data resident on one device for the length of a search. */
  interface Session extends AutoCloseable {
    /**
     * Each source model S_t scored on its own task: on the search's validation sample, or with
     * {@code fullValidation} on the task's whole val split (what the final re-scoring compares with).
     */
    Map<String, TaskScore> sourceScores(boolean fullValidation);

    /**
     * Each source model scored on the first {@code samples} of its task's validation sample (a
     * multi-fidelity rung); measured once per {@code samples}, before an {@link #apply}.
     */
    Map<String, TaskScore> sourceScores(int samples);

    /** The resident model scored on the first {@code samples} of every task's validation sample. */
    Map<String, TaskScore> scores(int samples);

    /**
     * Validation samples the scores of a trial take, all tasks together: the whole val split with
     * {@code fullValidation}, else the first {@code samples} of the validation sample (null: all of it).
     */
    long samplesScored(boolean fullValidation, Integer samples);

    /** Writes the merged weights of every block into the resident model (no reload). */
    void apply(TrialPlan plan);

    /** The resident model scored on every task, on the sample or the whole val split. */
    Map<String, TaskScore> scores(boolean fullValidation);

    /** L(S_t; D_t): each source model's mean loss on its own task's validation sample. */
    default Map<String, Double> sourceLosses() {
      return TaskScore.losses(sourceScores(false));
    }

    /** L(M; D_t) of the resident model for every task, on the validation sample. */
    default Map<String, Double> losses() {
      return TaskScore.losses(scores(false));
    }

    @Override
    void close();
  }

  record ExportResult(String dir, String sha256, Map<String, Object> report, List<String> files) {}
}
