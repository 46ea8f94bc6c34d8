package io.automerge.merge;

import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parameter value as mergekit configs write it: a scalar; a gradient (a list of numbers,
 * interpolated linearly over a tensor's layer position t in [0, 1]); or a list of conditions
 * {@code {filter: SUBSTRING, value: SETTING}} of which the first whose filter occurs in the
 * tensor name applies (no filter, or "*", matches every tensor). A setting with no matching
 * condition gives no value, and the next level of the config (slice, then top level, then the
 * declared default) is asked.
 */
sealed interface ParameterSetting {

  /** The value for a tensor at layer position t, or null when this setting gives none. */
  Object at(String tensor, double t);

  record Scalar(Object value) implements ParameterSetting {
    @Override
    public Object at(String tensor, double t) {
      return value;
    }
  }

  record Gradient(List<Double> values) implements ParameterSetting {
    @Override
    public Object at(String tensor, double t) {
      double scaled = t * (values.size() - 1);
      int i0 = (int) scaled;
      int i1 = Math.min(values.size() - 1, i0 + 1);
      double frac = scaled - i0;
      return (1 - frac) * values.get(i0) + frac * values.get(i1);
    }
  }

  record Condition(String filter, ParameterSetting value) {}

  record Filtered(List<Condition> conditions) implements ParameterSetting {
    @Override
    public Object at(String tensor, double t) {
      for (Condition c : conditions) {
        if (c.filter() == null || c.filter().equals("*") || tensor.contains(c.filter())) {
          return c.value().at(tensor, t);
        }
      }
      return null;
    }
  }

  /** Whether the value can differ between tensors. */
  default boolean varies() {
    return !(this instanceof Scalar);
  }

  /** Reads a YAML value; {@code field} names it in errors. */
  static ParameterSetting parse(Object raw, String field) {
    if (raw instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new InvalidInputException(field + ": expected a value, a gradient or filtered values, got []");
      }
      if (list.stream().allMatch(e -> e instanceof Number)) {
        List<Double> values = new ArrayList<>();
        list.forEach(e -> values.add(((Number) e).doubleValue()));
        return new Gradient(List.copyOf(values));
      }
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String at = field + "[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> entry) || !entry.containsKey("value")) {
          throw new InvalidInputException(at + ": expected {filter: NAME_PART, value: ...} or {value: ...}, got "
              + list.get(i));
        }
        for (Object key : entry.keySet()) {
          if (!"filter".equals(key) && !"value".equals(key)) {
            throw new InvalidInputException(at + "." + key + ": unknown field (known: filter, value)");
          }
        }
        Object filter = entry.get("filter");
        if (filter != null && !(filter instanceof String)) {
          throw new InvalidInputException(at + ".filter: expected a part of tensor names, got " + filter);
        }
        conditions.add(new Condition((String) filter, parse(entry.get("value"), at + ".value")));
      }
      return new Filtered(List.copyOf(conditions));
    }
    if (raw instanceof Map<?, ?> single && single.containsKey("value")) {
      return parse(List.of(single), field);
    }
    if (raw instanceof Number || raw instanceof Boolean || raw instanceof String) {
      return new Scalar(raw instanceof Number n && !(raw instanceof Double) ? n.doubleValue() : raw);
    }
    throw new InvalidInputException(field + ": expected a value, a gradient or filtered values, got " + raw);
  }
}
