package io.automerge.export;

import io.automerge.eval.EvaluationResult;
import io.automerge.search.BlockChoice;
import io.automerge.search.SearchSpec;
import io.automerge.segment.Segment;
import io.automerge.segment.Segmentation;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of an export's report.json that are pure formatting of what the search recorded. */
final class ReportJson {
  private ReportJson() {}

  static Map<String, Object> nested(Map<String, Map<String, EvaluationResult>> results) {
    Map<String, Object> out = new LinkedHashMap<>();
    results.forEach((source, byTask) -> out.put(source, flat(byTask)));
    return out;
  }

  static Map<String, Object> flat(Map<String, EvaluationResult> byTask) {
    Map<String, Object> out = new LinkedHashMap<>();
    byTask.forEach((task, r) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("samples", r.samples());
      m.put("loss", r.loss());
      m.putAll(r.metrics());
      out.put(task, m);
    });
    return out;
  }

  static Map<String, Object> segmentationJson(Segmentation segmentation) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", segmentation.mode());
    out.put("blocks", segmentation.blocks().stream().map(ReportJson::blockJson).toList());
    return out;
  }

  static Map<String, Object> blockJson(Segment block) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", block.name());
    m.put("rank", block.rank());
    m.put("parameters", block.parameters());
    m.put("tensors", block.tensors().size());
    m.put("pattern", block.pattern());
    return m;
  }

  static Map<String, Object> planJson(Map<String, BlockChoice> blocks) {
    Map<String, Object> out = new LinkedHashMap<>();
    blocks.forEach((name, choice) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("technique", choice.technique());
      m.put("weights", choice.effectiveWeights());
      m.put("parameters", choice.parameters());
      out.put(name, m);
    });
    return out;
  }

  /** What the search optimized and over which space: the report says how a run was made. */
  static Map<String, Object> options(SearchSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objective", spec.objective());
    if (spec.pareto()) {
      m.put("select", spec.select());
    }
    m.put("pd_penalty", spec.pdPenalty());
    m.put("weights", spec.weights());
    if ("free".equals(spec.weights())) {
      m.put("weight_range", spec.weightRange());
    }
    m.put("lambda", spec.lambda());
    m.put("rescore", spec.rescore());
    m.put("warm_start", spec.warmStart());
    m.put("techniques", spec.techniques());
    m.put("trials", spec.trials());
    m.put("samples_per_task", spec.validation().samplesPerTask());
    return m;
  }

  /** The k best trials by search cost, scored again on the whole val split; the export takes the best of those. */
  static Map<String, Object> rescoringJson(SearchOutcome outcome) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("top", outcome.spec().rescore());
    m.put("samples", "whole validation split");
    m.put("chosen", outcome.bestTrial());
    m.put("trials", outcome.rescored().stream().map(r -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("trial", r.trial());
      t.put("search_cost", r.searchCost());
      t.put("full_validation_cost", r.fullCost());
      t.put("full_validation_loss", r.fullLosses());
      t.put("error", r.error());
      return t;
    }).toList());
    return m;
  }

  static Map<String, Object> trialJson(SearchOutcome.TrialRecord t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trial", t.id());
    m.put("cost", t.cost());
    m.put("losses", t.losses());
    m.put("plan", planJson(t.plan().blocks()));
    m.put("worker", t.worker());
    m.put("millis", t.millis());
    m.put("error", t.error());
    if (t.fidelity() != null) {
      m.put("samples_per_task", t.fidelity().samples());
      m.put("rung", t.fidelity().rung());
      m.put("bracket", t.fidelity().bracket());
      m.put("config", t.fidelity().config());
    }
    return m;
  }

}
