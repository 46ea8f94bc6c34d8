package io.automerge.segment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits every block of a segmentation further by tensor role ({@code groups:} in a spec), so each
 * role of each block gets its own choice of technique and settings: with {@code layers:K} that is
 * per-layer-range, per-role plans, the attention/MLP parameter sets of layer-wise fusion searches.
 * A block's tensors of a requested role form the group {@code <block>.<role>}; the rest of the
 * block stays together as {@code <block>.other}. A block whose tensors all fall into one group
 * stays as it is, under its own name.
 */
public final class RoleGroups {
  private RoleGroups() {}

  /**
   * @param roles the roles to split off, a subset of {@link TensorRole#GROUPABLE}; empty leaves
   *     the segmentation as it is
   * @param sizes the element count of a tensor, for each group's parameter count
   */
  public static Segmentation split(Segmentation segmentation, List<TensorRole> roles, ToLongFunction<String> sizes) {
    if (roles.isEmpty()) {
      return segmentation;
    }
    Set<TensorRole> requested = Set.copyOf(roles);
    List<Segment> blocks = new ArrayList<>();
    Set<String> names = new HashSet<>(segmentation.blockNames());
    for (Segment block : segmentation.blocks()) {
      Map<TensorRole, List<String>> byRole = new LinkedHashMap<>();
      for (String tensor : block.tensors()) {
        TensorRole role = TensorRole.of(tensor);
        byRole.computeIfAbsent(requested.contains(role) ? role : TensorRole.OTHER, r -> new ArrayList<>()).add(tensor);
      }
      if (byRole.size() == 1) {
        blocks.add(block);
        continue;
      }
      // OTHER comes last in the order: it is told apart by the conditions the role groups ended with
      List<String> roleConditions = new ArrayList<>();
      for (TensorRole role : order(byRole.keySet())) {
        List<String> tensors = byRole.get(role);
        String name = Segmenter.unique(block.name() + "." + role.label(), names);
        long parameters = tensors.stream().mapToLong(sizes).sum();
        Segment group = new Segment(name, block.rank(), parameters, block.children(), tensors, role.label(), null);
        if (role == TensorRole.OTHER) {
          Segment byRoles = withShortestCondition(group, roleConditions, block.tensors());
          blocks.add(picksExactly(byRoles, block.tensors()) ? byRoles : withShortestCondition(group, otherConditions(roles), block.tensors()));
        } else {
          Segment shortest = withShortestCondition(group, role.conditions(), block.tensors());
          roleConditions.add("(?!" + shortest.roleCondition() + ")");
          blocks.add(shortest);
        }
      }
    }
    return new Segmentation(segmentation.mode() + " " + label(roles), blocks);
  }

  /** How a segmentation's mode names its groups: {@code groups:attention,mlp}. */
  public static String label(List<TensorRole> roles) {
    return roles.stream().map(TensorRole::label).collect(Collectors.joining(",", "groups:", ""));
  }

  /** Groups in the roles' precedence order, the rest last, whatever order the tensors came in. */
  private static List<TensorRole> order(Set<TensorRole> present) {
    return java.util.Arrays.stream(TensorRole.values()).filter(present::contains).toList();
  }

  /** Holds for a tensor of none of the requested roles: every requested role's condition fails. */
  private static List<String> otherConditions(List<TensorRole> roles) {
    return roles.stream().map(r -> "(?!" + String.join("", r.conditions()) + ")").toList();
  }

  /**
   * The group with the fewest of {@code conditions} that still pick exactly its tensors among its
   * block's (dropped greedily, in order), so a recipe reads {@code ^(?=encoder\\.)(?=.*\\.mlp\\.)}
   * where no earlier role could be confused with the MLP. {@link Segmenter#checkPatterns} checks
   * the result against every tensor of the model.
   */
  private static Segment withShortestCondition(Segment group, List<String> conditions, List<String> blockTensors) {
    List<String> kept = new ArrayList<>(conditions);
    for (String part : conditions) {
      List<String> without = new ArrayList<>(kept);
      without.remove(part);
      if (picksExactly(withCondition(group, without), blockTensors)) {
        kept = without;
      }
    }
    return withCondition(group, kept);
  }

  private static Segment withCondition(Segment group, List<String> conditions) {
    return new Segment(group.name(), group.rank(), group.parameters(), group.children(), group.tensors(),
        group.role(), String.join("", conditions));
  }

  private static boolean picksExactly(Segment group, List<String> blockTensors) {
    Pattern pattern = Pattern.compile(group.pattern());
    Set<String> own = Set.copyOf(group.tensors());
    return blockTensors.stream().allMatch(t -> pattern.matcher(t).find() == own.contains(t));
  }
}
