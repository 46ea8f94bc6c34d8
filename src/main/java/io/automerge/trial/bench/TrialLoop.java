package io.automerge.trial.bench;

import ai.djl.Device;
import io.automerge.eval.Objective;
import io.automerge.merge.bench.AnonMemoryProbe;
import io.automerge.search.OptimizerSettings;
import io.automerge.search.Proposal;
import io.automerge.search.RandomSearch;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segmentation;
import io.automerge.trial.ResidentSession;
import io.automerge.trial.ResidentTrialBackend;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a worker does for a short search, measured: segment the base, open the session (resident
 * model, validation batches, source scores), then {@code trials} random plans of the spec's space,
 * each merged into the model and scored, with the peak RssAnon of the whole process. Run in a
 * process of its own per setting, so each peak is that setting's.
 */
public final class TrialLoop {
  private TrialLoop() {}

  public static Map<String, Object> run(SearchSpec spec, int trials) {
    try (AnonMemoryProbe probe = AnonMemoryProbe.start(10)) {
      long start = System.nanoTime();
      ResidentTrialBackend backend = ResidentTrialBackend.builder().batchSize(spec.batchSize() == null ? 4 : spec.batchSize()).build();
      Segmentation segmentation = backend.segment(spec);
      Map<String, Object> out = new LinkedHashMap<>();
      try (ResidentSession session = ResidentSession.open(spec, segmentation, Device.cpu(), spec.batchSize() == null ? 4 : spec.batchSize())) {
        Map<String, Double> sources = session.sourceLosses();
        double openSeconds = (System.nanoTime() - start) / 1e9;
        RandomSearch random = new RandomSearch(spec.space(segmentation.blockNames()), OptimizerSettings.defaults(spec.seed()));
        long mergeNanos = 0;
        long evalNanos = 0;
        for (int t = 0; t < trials; t++) {
          Proposal p = random.ask();
          long a = System.nanoTime();
          session.apply(p.plan());
          long b = System.nanoTime();
          Map<String, Double> losses = session.losses();
          long c = System.nanoTime();
          mergeNanos += b - a;
          evalNanos += c - b;
          random.tell(p.trialNumber(), Objective.score(losses, sources).cost());
        }
        long parameters = session.model().parameterCount();
        out.put("sources", spec.models().size());
        out.put("cache_sources_on_device", session.cachesSources() ? "on" : "off");
        out.put("parameters", parameters);
        out.put("float32_bytes", parameters * 4);
        out.put("blocks", segmentation.blocks().size());
        out.put("trials", trials);
        out.put("open_seconds", openSeconds);
        out.put("merge_seconds_per_trial", mergeNanos / 1e9 / trials);
        out.put("eval_seconds_per_trial", evalNanos / 1e9 / trials);
      }
      out.put("peak_rss_anon_bytes", probe.peakBytes());
      out.put("vm_hwm_bytes", AnonMemoryProbe.vmHwmBytes());
      return out;
    }
  }
}
