package io.automerge.eval;

import ai.djl.Device;
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

  /** Loads base, sources and validation batches onto a device, once per search and worker. */
  Session open(SearchSpec spec, Segmentation segmentation, Device device);

  /** Writes the best plan's merged model, recipe and report into {@code outcome.spec().output()}. */
  ExportResult export(SearchOutcome outcome);

  /** Models and data resident on one device for the length of a search. */
  interface Session extends AutoCloseable {
    /** L(S_t; D_t): each source model's mean validation loss on its own task. */
    Map<String, Double> sourceLosses();

    /** Writes the merged weights of every block into the resident model (no reload). */
    void apply(TrialPlan plan);

    /** L(M; D_t) of the resident model for every task. */
    Map<String, Double> losses();

    @Override
    void close();
  }

  record ExportResult(String dir, String sha256, Map<String, Object> report, List<String> files) {}
}
