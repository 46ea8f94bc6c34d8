package io.automerge.merge;

import java.util.List;
import java.util.Objects;

/**
 * One parameter a merge technique declares: recipe validation, defaults, error messages and the
 * search space are all derived from these declarations, never from code in the technique.
 *
 * @param name the recipe key ("weight", "density", "lambda", "normalize", "rescale")
 * @param scope whether the value is one per block or one per source model
 * @param kind number, flag or one of fixed choices
 * @param defaultValue the value used when the recipe leaves it out
 * @param valid the range a number must fall in (null for flags and choices)
 * @param search the range a search explores (null: not searched)
 * @param choices the allowed words of a choice parameter (empty otherwise)
 * @param description one line for help and reports
 */
public record ParameterSpec(
    String name,
    Scope scope,
    Kind kind,
    Object defaultValue,
    Range valid,
    Range search,
    List<String> choices,
    String description) {

  public enum Scope { GLOBAL, PER_MODEL }

  public enum Kind { NUMBER, FLAG, CHOICE }

  /** An interval with open or closed ends; infinite ends mean "any finite number". */
  public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
    public static Range closed(double min, double max) {
      return new Range(min, true, max, true);
    }

    public static Range openClosed(double min, double max) {
      return new Range(min, false, max, true);
    }

    public static Range anyFinite() {
      return new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    }

    public boolean contains(double value) {
      if (!Double.isFinite(value)) {
        return false;
      }
      boolean aboveMin = minInclusive ? value >= min : value > min;
      boolean belowMax = maxInclusive ? value <= max : value < max;
      return aboveMin && belowMax;
    }

    @Override
    public String toString() {
      if (Double.isInfinite(min) && Double.isInfinite(max)) {
        return "any finite number";
      }
      return (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
    }

    private static String fmt(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }

  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(kind, "kind");
    choices = List.copyOf(choices);
  }

  public static ParameterSpec number(
      String name, Scope scope, double defaultValue, Range valid, Range search, String description) {
    return new ParameterSpec(name, scope, Kind.NUMBER, defaultValue, valid, search, List.of(), description);
  }

  public static ParameterSpec flag(String name, boolean defaultValue, String description) {
    return new ParameterSpec(name, Scope.GLOBAL, Kind.FLAG, defaultValue, null, null, List.of(), description);
  }

  public static ParameterSpec choice(
      String name, String defaultValue, List<String> choices, String description) {
    return new ParameterSpec(name, Scope.GLOBAL, Kind.CHOICE, defaultValue, null, null, choices, description);
  }

  public boolean perModel() {
    return scope == Scope.PER_MODEL;
  }

  public boolean searchable() {
    return search != null;
  }
}
