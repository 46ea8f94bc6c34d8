package io.automerge.experiment;

import java.util.Map;

/** Typed reads from an export report (a JSON-like map that went through the journal's CBOR). */
final class Reports {
  private Reports() {}

  static Map<String, Object> report(RunOutcome outcome) {
    return outcome.report();
  }

  @SuppressWarnings("unchecked")
  static <T> T get(Map<String, ?> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalStateException("export report has no '" + key + "' (keys: " + map.keySet() + ")");
    }
    return (T) value;
  }

  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      current = get((Map<String, Object>) current, key);
    }
    return current;
  }

  static Double number(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }
}
