package io.automerge.merge;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The registry of techniques, in the order the search enumerates them. The built-in techniques
 * are registered here; another (a plug-in, a test's) joins with {@link #register} and is then a
 * recipe method, a search technique, a fixed plan and a benchmark like the others.
 */
public final class MergeMethods {
  private static final List<MergeMethod> ALL = new CopyOnWriteArrayList<>(List.of(
      LinearMerge.INSTANCE,
      GeneralizedTaskArithmetic.TASK_ARITHMETIC,
      GeneralizedTaskArithmetic.TIES,
      GeneralizedTaskArithmetic.DARE_LINEAR,
      GeneralizedTaskArithmetic.DARE_TIES,
      Slerp.INSTANCE,
      GeneralizedTaskArithmetic.BREADCRUMBS,
      GeneralizedTaskArithmetic.BREADCRUMBS_TIES,
      GeneralizedTaskArithmetic.DELLA,
      GeneralizedTaskArithmetic.DELLA_LINEAR,
      ModelStock.INSTANCE));

  /** The techniques of the AutoMerge paper, the search's default. */
  private static final List<String> PAPER = List.of(
      "linear", "task_arithmetic", "ties", "dare_linear", "dare_ties");

  private MergeMethods() {}

  /** A registered technique; closing it removes the technique again. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Adds a technique after the registered ones.
   *
   * @throws IllegalArgumentException if its name is taken
   */
  public static synchronized Registration register(MergeMethod method) {
    if (find(method.name()).isPresent()) {
      throw new IllegalArgumentException("merge method \"" + method.name() + "\" is already registered");
    }
    ALL.add(method);
    return () -> ALL.remove(method);
  }

  public static List<MergeMethod> all() {
    return List.copyOf(ALL);
  }

  /** The paper's five techniques (what a search explores unless told otherwise). */
  public static List<String> paperNames() {
    return PAPER;
  }

  /** Every registered name. */
  public static List<String> allNames() {
    return ALL.stream().map(MergeMethod::name).toList();
  }

  public static Optional<MergeMethod> find(String name) {
    return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** "linear, task_arithmetic, ..." for error messages. */
  public static String names() {
    return ALL.stream().map(MergeMethod::name).collect(Collectors.joining(", "));
  }
}
