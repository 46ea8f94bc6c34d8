package io.automerge.merge;

import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a recipe's raw parameter values into {@link ResolvedParams}, driven entirely by the
 * technique's {@link ParameterSpec}s: unknown keys, wrong types, out-of-range values and wrong
 * counts are reported with the field's path.
 *
 * <p>Per-model parameters accept a list (one value per model, under the name or its plural,
 * e.g. {@code weights}) or a single number. A single {@code weight} with two models means
 * (w, 1 - w); with one model it is that model's weight; with more models it is ambiguous and
 * refused. A single value of any other per-model parameter applies to every model.
 */
public final class ParameterResolver {
  private ParameterResolver() {}

  /**
   * @param raw the recipe's values (numbers, booleans, strings, lists of numbers)
   * @param perModelOverrides per-model values given model by model (mergekit style), or empty;
   *     an entry may be null where a model gave none
   * @param field the path to report, e.g. "blocks[1].parameters"
   */
  public static ResolvedParams resolve(
      MergeMethod method, Map<String, Object> raw, Map<String, List<Double>> perModelOverrides,
      int modelCount, String field) {
    Map<String, Object> remaining = new LinkedHashMap<>(raw);
    Map<String, Object> global = new LinkedHashMap<>();
    Map<String, List<Double>> perModel = new LinkedHashMap<>();
    for (ParameterSpec spec : method.parameters()) {
      boolean hasPlural = spec.perModel() && remaining.containsKey(plural(spec.name()));
      if (hasPlural && remaining.containsKey(spec.name())) {
        throw new InvalidInputException(field + ": give either " + spec.name() + " or "
            + plural(spec.name()) + ", not both");
      }
      String key = hasPlural ? plural(spec.name()) : spec.name();
      Object value = remaining.remove(key);
      if (spec.perModel()) {
        List<Double> values = perModelValues(spec, value, modelCount, field + "." + key);
        List<Double> overrides = perModelOverrides.get(spec.name());
        if (overrides != null) {
          values = new ArrayList<>(values);
          for (int i = 0; i < modelCount; i++) {
            Double given = overrides.get(i);
            if (given != null) {
              checkRange(spec, given, "models[" + i + "].parameters." + spec.name());
              values.set(i, given);
            }
          }
        }
        perModel.put(spec.name(), List.copyOf(values));
      } else {
        global.put(spec.name(), globalValue(spec, value, field + "." + spec.name()));
      }
    }
    if (!remaining.isEmpty()) {
      String known = method.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
      throw new InvalidInputException(field + "." + remaining.keySet().iterator().next()
          + ": unknown parameter for " + method.name() + " (known: " + known + ")");
    }
    if (method instanceof LinearMerge && Boolean.TRUE.equals(global.get("normalize"))) {
      double sum = perModel.get("weight").stream().mapToDouble(Double::doubleValue).sum();
      if (sum == 0) {
        throw new InvalidInputException(field + ".weights: linear weights sum to 0");
      }
    }
    ResolvedParams resolved = new ResolvedParams(global, perModel);
    method.check(resolved, field);
    return resolved;
  }

  static String plural(String name) {
    return name.endsWith("y") ? name.substring(0, name.length() - 1) + "ies" : name + "s";
  }

  private static List<Double> perModelValues(ParameterSpec spec, Object value, int n, String field) {
    if (value == null) {
      return java.util.Collections.nCopies(n, (Double) spec.defaultValue());
    }
    if (value instanceof List<?> list) {
      if (list.size() != n) {
        throw new InvalidInputException(field + ": " + list.size() + " values for " + n
            + " models (give one " + spec.name() + " per model)");
      }
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double d = number(list.get(i), field + "[" + i + "]");
        checkRange(spec, d, field + "[" + i + "]");
        values.add(d);
      }
      return values;
    }
    double d = number(value, field);
    checkRange(spec, d, field);
    if (spec.name().equals("weight")) {
      if (n == 2) {
        return List.of(d, 1 - d);
      }
      if (n != 1) {
        throw new InvalidInputException(field + ": a single weight is ambiguous for " + n
            + " models (give a list of " + n + " weights)");
      }
    }
    return java.util.Collections.nCopies(n, d);
  }

  private static Object globalValue(ParameterSpec spec, Object value, String field) {
    if (value == null) {
      if (spec.defaultValue() instanceof Double d && d.isNaN()) {
        throw new InvalidInputException(field + ": required (" + spec.description() + ")");
      }
      return spec.defaultValue();
    }
    switch (spec.kind()) {
      case NUMBER: {
        double d = number(value, field);
        checkRange(spec, d, field);
        return d;
      }
      case FLAG:
        if (value instanceof Boolean b) {
          return b;
        }
        throw new InvalidInputException(field + ": expected true or false, got " + describe(value));
      case CHOICE:
        if (value instanceof String s && spec.choices().contains(s)) {
          return s;
        }
        throw new InvalidInputException(field + ": expected one of " + spec.choices()
            + ", got " + describe(value));
      default:
        throw new IllegalStateException("unknown kind " + spec.kind());
    }
  }

  private static void checkRange(ParameterSpec spec, double value, String field) {
    if (spec.valid() != null && !spec.valid().contains(value)) {
      throw new InvalidInputException(field + ": " + spec.name() + " " + value
          + " is outside " + spec.valid());
    }
  }

  static double number(Object value, String field) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new InvalidInputException(field + ": expected a number, got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
