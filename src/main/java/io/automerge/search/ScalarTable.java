package io.automerge.search;

import io.automerge.InvalidInputException;
import io.automerge.merge.MergeMethod;
import io.automerge.merge.ParameterSpec;
import io.automerge.merge.ParameterSpec.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scalar parameters a search space encodes, read once from the techniques' declarations: their
 * names in encoding order (per-model ones first, then global ones, each in order of first
 * declaration; {@code density} always, so older spaces keep their layout) and, per technique, the
 * range it searches each over (null: it does not search it). A spec's range replaces the declared
 * one and switches an on-request parameter ({@code lambda}) on.
 */
final class ScalarTable {
  /** Always encoded, whether or not a technique searches it (see the class comment). */
  private static final String ALWAYS_ENCODED = BlockChoice.DENSITY;

  private final List<String> names;
  private final Range[][] ranges; // [technique][scalar]
  private final boolean[] weighted;

  ScalarTable(List<MergeMethod> methods, Map<String, Range> requested) {
    this.names = names(methods, requested);
    this.ranges = new Range[methods.size()][names.size()];
    this.weighted = new boolean[methods.size()];
    for (int t = 0; t < methods.size(); t++) {
      weighted[t] = methods.get(t).searchesWeights();
      for (ParameterSpec p : methods.get(t).searchedScalars()) {
        int s = names.indexOf(p.name());
        if (s >= 0) {
          ranges[t][s] = checkedRange(methods.get(t), p, requested);
        }
      }
    }
  }

  private static List<String> names(List<MergeMethod> methods, Map<String, Range> requested) {
    List<String> perModel = new ArrayList<>(List.of(ALWAYS_ENCODED));
    List<String> global = new ArrayList<>();
    for (MergeMethod method : methods) {
      for (ParameterSpec p : method.searchedScalars()) {
        if (p.search().onRequest() && !requested.containsKey(p.name())) {
          continue;
        }
        List<String> list = p.perModel() ? perModel : global;
        if (!perModel.contains(p.name()) && !global.contains(p.name())) {
          list.add(p.name());
        }
      }
    }
    perModel.addAll(global);
    return List.copyOf(perModel);
  }

  private static Range checkedRange(MergeMethod method, ParameterSpec p, Map<String, Range> requested) {
    Range range = requested.get(p.name());
    if (range == null) {
      return p.search().range();
    }
    if (!(range.min() <= range.max())) {
      throw new InvalidInputException("search space: " + p.name() + " range must have min <= max, got " + range);
    }
    Range valid = p.valid() == null ? Range.anyFinite() : p.valid();
    if (!valid.contains(range.min()) || !valid.contains(range.max())) {
      throw new InvalidInputException("search space: " + p.name() + " range " + range + " must lie within " + valid
          + " (what " + method.name() + " accepts)");
    }
    return range;
  }

  /** The scalars' names, in encoding order. */
  List<String> names() {
    return names;
  }

  int size() {
    return names.size();
  }

  /** The range technique {@code t} (an index) searches scalar {@code s} over, or null. */
  Range range(int t, int s) {
    return ranges[t][s];
  }

  /** Whether technique {@code t} searches scalar {@code name}. */
  boolean searches(int t, String name) {
    int s = names.indexOf(name);
    return s >= 0 && ranges[t][s] != null;
  }

  /** Whether technique {@code t} searches its weights (model_stock and slerp do not). */
  boolean weighted(int t) {
    return weighted[t];
  }
}
