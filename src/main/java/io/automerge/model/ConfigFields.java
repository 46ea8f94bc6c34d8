package io.automerge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;

/** Typed reads of config.json fields with one-line errors naming the field. */
public final class ConfigFields {
  private final JsonNode node;
  private final String where;
  /** Prefix of field names in messages: {@code rope_scaling.} for a nested object. */
  private final String prefix;

  public ConfigFields(JsonNode node, String where) {
    this(node, where, "");
  }

  private ConfigFields(JsonNode node, String where, String prefix) {
    this.node = node;
    this.where = where;
    this.prefix = prefix;
  }

  /** Fields of the object {@code child}, found under {@code name}; messages say {@code name.field}. */
  public ConfigFields nested(JsonNode child, String name) {
    return new ConfigFields(child, where, prefix + name + ".");
  }

  public int positiveInt(String field, Integer fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new InvalidInputException(where + ": missing field '" + prefix + field + "'");
      }
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
      throw new InvalidInputException(where + ": field '" + prefix + field + "' must be a positive integer, got " + v);
    }
    return v.asInt();
  }

  /** A positive number; {@code fallback} null makes the field required. */
  public double positiveDouble(String field, Double fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new InvalidInputException(where + ": missing field '" + prefix + field + "'");
      }
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() <= 0) {
      throw new InvalidInputException(where + ": field '" + prefix + field + "' must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  /** A positive integer, or 0 when the field is missing or null (an optional limit). */
  public int optionalPositiveInt(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? 0 : positiveInt(field, null);
  }

  public String text(String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(where + ": field '" + prefix + field + "' must be a string, got " + v);
    }
    return v.asText();
  }

  public boolean bool(String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(where + ": field '" + prefix + field + "' must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  public int[] positiveInts(String field, int[] fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback.clone();
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new InvalidInputException(where + ": field '" + prefix + field + "' must be a non-empty list of positive integers");
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || e.asInt() <= 0) {
        throw new InvalidInputException(where + ": field '" + prefix + field + "' must be a list of positive integers, got " + v);
      }
      out[i] = e.asInt();
    }
    return out;
  }

  public InvalidInputException invalid(String message) {
    return new InvalidInputException(where + ": " + message);
  }
}
