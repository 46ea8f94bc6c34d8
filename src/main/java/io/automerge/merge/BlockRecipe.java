package io.automerge.merge;

import io.automerge.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One block of a recipe: the tensors whose names the regex finds a match in (first matching block
 * wins), merged with one technique and its resolved parameters.
 */
public record BlockRecipe(String name, String tensors, MergeMethod method, ResolvedParams params) {

  public BlockRecipe {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(params, "params");
    compile(tensors, "block " + name);
  }

  /** The compiled {@link #tensors} regex. */
  public Pattern pattern() {
    return Pattern.compile(tensors);
  }

  public boolean matches(String tensorName) {
    return pattern().matcher(tensorName).find();
  }

  static Pattern compile(String regex, String field) {
    if (regex == null) {
      throw new InvalidInputException(field + ".tensors: missing (a regular expression)");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidInputException(field + ".tensors: bad regular expression \"" + regex
          + "\": " + e.getDescription());
    }
  }
}
