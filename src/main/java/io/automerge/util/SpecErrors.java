package io.automerge.util;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * One-line messages for a YAML spec that does not map onto its records: the field path as the
 * user wrote it ({@code tasks.code.colour}) and, for an unknown field, the fields that exist
 * there, never a Java class name.
 */
public final class SpecErrors {
  private SpecErrors() {}

  public static String describe(Path file, JsonMappingException e) {
    String path = fieldPath(e);
    if (e instanceof UnrecognizedPropertyException u) {
      return file + ": " + path + ": unknown field (expected one of: "
          + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null && !path.isEmpty()) {
      return file + ": " + path + ": expected " + expected(m.getTargetType());
    }
    return file + ": " + (path.isEmpty() ? "" : path + ": ") + firstLine(e.getOriginalMessage());
  }

  /** What a value of a Java type looks like in YAML. */
  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping";
  }

  /** {@code tasks.code.colour}, {@code models[1].pth}: where in the spec a mapping error is. */
  public static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
        .orElse("");
  }

  public static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
  }
}
