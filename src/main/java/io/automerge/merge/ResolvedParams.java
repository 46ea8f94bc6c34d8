package io.automerge.merge;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of one technique with a value: the recipe's values where given, the declared
 * defaults elsewhere. Global values are Double, Boolean or String; per-model values are one
 * double per source model, in the recipe's model order.
 */
public record ResolvedParams(Map<String, Object> global, Map<String, List<Double>> perModel) {

  public ResolvedParams {
    global = Collections.unmodifiableMap(new LinkedHashMap<>(global));
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    perModel.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    perModel = Collections.unmodifiableMap(copy);
  }

  public double number(String name) {
    Object value = require(name);
    if (!(value instanceof Double d)) {
      throw new IllegalStateException("parameter " + name + " is not a number: " + value);
    }
    return d;
  }

  public boolean flag(String name) {
    Object value = require(name);
    if (!(value instanceof Boolean b)) {
      throw new IllegalStateException("parameter " + name + " is not a flag: " + value);
    }
    return b;
  }

  public String choice(String name) {
    return String.valueOf(require(name));
  }

  /** The per-model values of {@code name}, one per source model. */
  public double[] values(String name) {
    List<Double> values = perModel.get(name);
    if (values == null) {
      throw new IllegalStateException("no per-model parameter " + name);
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  public int modelCount() {
    return perModel.values().stream().findFirst().map(List::size).orElse(0);
  }

  /** A copy with one global value replaced (the search and tests vary a single setting). */
  public ResolvedParams with(String name, Object value) {
    Map<String, Object> changed = new LinkedHashMap<>(global);
    changed.put(name, value);
    return new ResolvedParams(changed, perModel);
  }

  /** A copy with one per-model parameter replaced. */
  public ResolvedParams withPerModel(String name, double... values) {
    Map<String, List<Double>> changed = new LinkedHashMap<>(perModel);
    changed.put(name, Arrays.stream(values).boxed().toList());
    return new ResolvedParams(global, changed);
  }

  private Object require(String name) {
    Object value = global.get(name);
    if (value == null) {
      throw new IllegalStateException("no global parameter " + name);
    }
    return value;
  }
}
