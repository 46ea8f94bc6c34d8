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
 * @param search how a search explores it (null: not searched)
 * @param choices the allowed words of a choice parameter (empty otherwise)
 * @param description one line for help and reports
 */
public record ParameterSpec(
    String name,
    Scope scope,
    Kind kind,
    Object defaultValue,
    Range valid,
    Search search,
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

  /**
   * How a search explores a parameter: the range it draws from (a spec's own range for the same
   * name, {@code density: [lo, hi]} or {@code lambda: [lo, hi]}, replaces it), the value the fixed
   * plans (the paper's RQ1, the report's baselines) and a warm start use, and whether it is searched
   * always or only when a spec gives a range for it ({@code lambda}). A per-model {@code weight} is
   * the search's weight vector (simplex or free, from the spec); its fixed value is 1/N.
   */
  public record Search(Range range, double start, boolean onRequest) {
    public Search {
      Objects.requireNonNull(range, "range");
      if (!range.contains(start)) {
        throw new IllegalArgumentException("search start " + start + " outside " + range);
      }
    }
  }

  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(kind, "kind");
    choices = List.copyOf(choices);
  }

  /** A number a search leaves alone (add {@link #searched} or {@link #searchedOnRequest} to tune it). */
  public static ParameterSpec number(String name, Scope scope, double defaultValue, Range valid, String description) {
    return new ParameterSpec(name, scope, Kind.NUMBER, defaultValue, valid, null, List.of(), description);
  }

  /** This declaration, searched over {@code range}; fixed plans use {@code start}. */
  public ParameterSpec searched(Range range, double start) {
    return withSearch(new Search(range, start, false));
  }

  /** This declaration, searched only when a spec gives a range for it ({@code lambda: [lo, hi]}). */
  public ParameterSpec searchedOnRequest(Range range, double start) {
    return withSearch(new Search(range, start, true));
  }

  private ParameterSpec withSearch(Search search) {
    if (kind != Kind.NUMBER) {
      throw new IllegalArgumentException(name + ": only numbers are searched");
    }
    return new ParameterSpec(name, scope, kind, defaultValue, valid, search, choices, description);
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
