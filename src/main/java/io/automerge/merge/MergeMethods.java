package io.automerge.merge;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The registry of techniques, in the order the search enumerates them. */
public final class MergeMethods {
  private static final List<MergeMethod> ALL = List.of(
      LinearMerge.INSTANCE,
      GeneralizedTaskArithmetic.TASK_ARITHMETIC,
      GeneralizedTaskArithmetic.TIES,
      GeneralizedTaskArithmetic.DARE_LINEAR,
      GeneralizedTaskArithmetic.DARE_TIES);

  private MergeMethods() {}

  public static List<MergeMethod> all() {
    return ALL;
  }

  public static Optional<MergeMethod> find(String name) {
    return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** "linear, task_arithmetic, ..." for error messages. */
  public static String names() {
    return ALL.stream().map(MergeMethod::name).collect(Collectors.joining(", "));
  }
}
