package io.automerge.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One block of a segmentation: consecutive top-level children of a model whose outputs have the
 * same rank. {@code children} are the children's names (e.g. {@code encoder.layers.0}),
 * {@code tensors} the names of their parameters, {@code rank} the rank of the last child's output.
 * A role group ({@link RoleGroups}) holds only the tensors of one role: {@code role} is its label
 * and {@code roleCondition} the regex that picks them among the children's (null for a whole
 * block, and in events persisted before groups existed).
 */
public record Segment(
    String name, int rank, long parameters, List<String> children, List<String> tensors, String role, String roleCondition) {
  private static final Pattern NUMBERED = Pattern.compile("(.+)\\.([0-9]+)");

  public Segment {
    children = List.copyOf(children);
    tensors = List.copyOf(tensors);
  }

  /** A whole block (no role group). */
  public Segment(String name, int rank, long parameters, List<String> children, List<String> tensors) {
    this(name, rank, parameters, children, tensors, null, null);
  }

  /**
   * A readable recipe regex (used with {@code find}, as recipes are) that matches this block's
   * tensors: a child's prefix ({@code tokenizer\.}) where its tensors live under its name,
   * numbered siblings folded ({@code encoder\.layers\.(?:0|1)\.}), and for tensors outside every
   * child prefix (a child like {@code pooling_head} owning {@code pooling.*} and {@code head.*})
   * their module paths with one parameter name ({@code (?:pooling\.norm|head)\.[^.]+$}). The
   * {@link Segmenter} checks it against every tensor of the model. A role group adds its role's
   * condition: {@code ^(?=<its children>)(?!.*(?:^|\.)(?:<norm modules>)\.)(?=.*<attention modules>)}.
   */
  public String pattern() {
    String within = childrenPattern();
    if (roleCondition == null) {
      return within;
    }
    return (within.startsWith("^") ? "^(?=" + within.substring(1) : "(?=" + within) + ")" + roleCondition;
  }

  /** The regex of the children's tensors that are this segment's (every one, for a whole block). */
  private String childrenPattern() {
    List<String> covering = children.stream()
        .filter(c -> tensors.stream().anyMatch(t -> t.startsWith(c + ".")))
        .toList();
    List<String> alternatives = new ArrayList<>(foldNumbered(covering));
    Set<String> modules = new LinkedHashSet<>();
    for (String tensor : tensors) {
      if (covering.stream().noneMatch(c -> tensor.startsWith(c + "."))) {
        int dot = tensor.lastIndexOf('.');
        if (dot < 0) {
          alternatives.add(escape(tensor) + "$");
        } else {
          modules.add(tensor.substring(0, dot));
        }
      }
    }
    if (!modules.isEmpty()) {
      String paths = modules.stream().map(Segment::escape).collect(Collectors.joining("|"));
      alternatives.add((modules.size() == 1 ? paths : "(?:" + paths + ")") + "\\.[^.]+$");
    }
    return alternatives.stream().collect(Collectors.joining("|", "^(?:", ")"));
  }

  /** {@code a.0, a.1, b} become {@code a\.(?:0|1)\., b\.}, in first-appearance order. */
  private static List<String> foldNumbered(List<String> prefixes) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String prefix : prefixes) {
      Matcher m = NUMBERED.matcher(prefix);
      if (m.matches()) {
        groups.computeIfAbsent("#" + m.group(1), k -> new ArrayList<>()).add(m.group(2));
      } else {
        groups.put(prefix, List.of());
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      if (!g.getKey().startsWith("#")) {
        out.add(escape(g.getKey()) + "\\.");
      } else {
        List<String> numbers = g.getValue();
        String alternatives = numbers.size() == 1 ? numbers.get(0) : "(?:" + String.join("|", numbers) + ")";
        out.add(escape(g.getKey().substring(1)) + "\\." + alternatives + "\\.");
      }
    }
    return out;
  }

  private static String escape(String literal) {
    return literal.replaceAll("[\\\\.^$|?*+()\\[\\]{}]", "\\\\$0");
  }
}
