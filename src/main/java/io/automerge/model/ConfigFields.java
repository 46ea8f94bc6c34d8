package io.automerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;

/** Typed reads of config.json fields with one-line errors naming the field. */
public final class ConfigFields {
  private final JsonNode node;
  private final String where;

  public ConfigFields(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  public int positiveInt(String field, Integer fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new InvalidInputException(where + ": missing field '" + field + "'");
      }
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
      throw new InvalidInputException(where + ": field '" + field + "' must be a positive integer, got " + v);
    }
    return v.asInt();
  }

  public double positiveDouble(String field, double fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() <= 0) {
      throw new InvalidInputException(where + ": field '" + field + "' must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  public boolean bool(String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(where + ": field '" + field + "' must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  public int[] positiveInts(String field, int[] fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback.clone();
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new InvalidInputException(where + ": field '" + field + "' must be a non-empty list of positive integers");
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || e.asInt() <= 0) {
        throw new InvalidInputException(where + ": field '" + field + "' must be a list of positive integers, got " + v);
      }
      out[i] = e.asInt();
    }
    return out;
  }

  public InvalidInputException invalid(String message) {
    return new InvalidInputException(where + ": " + message);
  }
}
