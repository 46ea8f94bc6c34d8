package io.automerge.segment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.automerge.InvalidInputException;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.NamedChild;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a model into blocks by tracing one forward pass: the rank of every top-level child's
 * output, in order. Children without parameters own no tensors and add no block of their own.
 */
public final class Segmenter {
  /** A transformer layer child: {@code encoder.layers.3}, {@code model.layers.12}. */
  private static final Pattern LAYER = Pattern.compile("(?:.*\\.)?layers\\.([0-9]+)");

  private Segmenter() {}

  /** Segments with a mode as spelled in a spec ({@code shape}, {@code whole}, {@code layers:K}). */
  public static Segmentation segment(ArchitectureModel model, NDArray batch, String mode) {
    return segment(model, batch, SegmentationMode.parse(mode));
  }

  /**
   * Segments as {@code mode} says, then splits every block by the tensor roles in {@code groups}
   * (labels as in a spec's {@code groups:}; empty for whole blocks), see {@link RoleGroups}.
   */
  public static Segmentation segment(ArchitectureModel model, NDArray batch, String mode, List<String> groups) {
    Segmentation blocks = segment(model, batch, SegmentationMode.parse(mode));
    List<TensorRole> roles = groups.stream().map(g -> TensorRole.parse(g, "groups")).toList();
    Segmentation grouped = RoleGroups.split(blocks, roles, t -> model.parametersByName().get(t).getShape().size());
    checkPatterns(grouped, model.parametersByName().keySet());
    return grouped;
  }

  /** Runs {@code batch} through {@code model} (no grad) and cuts it as {@code mode} says. */
  public static Segmentation segment(ArchitectureModel model, NDArray batch, SegmentationMode mode) {
    List<NamedChild> children = model.children();
    int[] ranks = traceRanks(model, batch);
    List<List<Integer>> groups;
    if (mode instanceof SegmentationMode.Layers layers) {
      groups = byLayers(children, layers.k());
    } else if (mode instanceof SegmentationMode.Whole) {
      groups = List.of(range(0, children.size()));
    } else {
      groups = byRank(ranks);
    }
    List<Segment> blocks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (List<Integer> group : groups) {
      Segment block = block(model, group, ranks, mode, names);
      if (!block.tensors().isEmpty()) {
        blocks.add(block);
      }
    }
    Segmentation segmentation = new Segmentation(mode.label(), blocks);
    checkPatterns(segmentation, model.parametersByName().keySet());
    return segmentation;
  }

  /** A batch of the model's sample input shape for a shape trace when no task data is at hand. */
  public static NDArray sampleBatch(ArchitectureModel model, NDManager manager) {
    Shape shape = model.sampleInputShape();
    return model.inputType() == DataType.FLOAT32
        ? manager.randomNormal(shape)
        : manager.zeros(shape, model.inputType());
  }

  /**
   * Every tensor belongs to exactly one block and every block's pattern finds exactly its own
   * tensors among {@code allTensors}; a violation is a bug in an architecture's naming.
   */
  public static void checkPatterns(Segmentation segmentation, Iterable<String> allTensors) {
    Map<String, String> owner = new LinkedHashMap<>();
    for (Segment block : segmentation.blocks()) {
      for (String t : block.tensors()) {
        String previous = owner.put(t, block.name());
        if (previous != null) {
          throw new IllegalStateException("tensor " + t + " is in blocks " + previous + " and " + block.name());
        }
      }
    }
    for (Segment block : segmentation.blocks()) {
      Pattern p = Pattern.compile(block.pattern());
      for (String t : allTensors) {
        boolean found = p.matcher(t).find();
        boolean own = block.name().equals(owner.get(t));
        if (found != own) {
          throw new IllegalStateException("pattern " + block.pattern() + " of block " + block.name()
              + (found ? " also matches " : " misses ") + t);
        }
      }
    }
    for (String t : allTensors) {
      if (!owner.containsKey(t)) {
        throw new IllegalStateException("tensor " + t + " belongs to no block");
      }
    }
  }

  private static int[] traceRanks(ArchitectureModel model, NDArray batch) {
    try (NDManager scope = batch.getManager().newSubManager()) {
      NDArray input = batch.duplicate();
      input.attach(scope);
      List<NDArray> outputs = model.forwardTraced(input);
      int[] ranks = new int[outputs.size()];
      for (int i = 0; i < ranks.length; i++) {
        ranks[i] = outputs.get(i).getShape().dimension();
        outputs.get(i).attach(scope);
      }
      return ranks;
    }
  }

  private static List<List<Integer>> byRank(int[] ranks) {
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < ranks.length; i++) {
      if (!current.isEmpty() && ranks[i] != ranks[i - 1]) {
        groups.add(current);
        current = new ArrayList<>();
      }
      current.add(i);
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }

  /** Consecutive layer children in groups of {@code k}; every other child in one last group. */
  private static List<List<Integer>> byLayers(List<NamedChild> children, int k) {
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      if (LAYER.matcher(children.get(i).name()).matches()) {
        current.add(i);
        if (current.size() == k) {
          groups.add(current);
          current = new ArrayList<>();
        }
      } else {
        rest.add(i);
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    if (groups.isEmpty()) {
      throw new InvalidInputException("segmentation layers:" + k + ": the model has no transformer layers (children: "
          + children.stream().map(NamedChild::name).toList() + ")");
    }
    if (!rest.isEmpty()) {
      groups.add(rest);
    }
    return groups;
  }

  private static Segment block(ArchitectureModel model, List<Integer> group, int[] ranks, SegmentationMode mode, Set<String> taken) {
    List<String> childNames = new ArrayList<>();
    List<String> tensors = new ArrayList<>();
    long parameters = 0;
    for (int i : group) {
      NamedChild child = model.children().get(i);
      childNames.add(child.name());
      for (String tensor : child.parameterNames()) {
        Parameter p = model.parametersByName().get(tensor);
        tensors.add(tensor);
        parameters += p.getShape().size();
      }
    }
    String name = unique(blockName(mode, model.children(), group), taken);
    return new Segment(name, ranks[group.get(group.size() - 1)], parameters, childNames, tensors);
  }

  private static String blockName(SegmentationMode mode, List<NamedChild> children, List<Integer> group) {
    if (mode instanceof SegmentationMode.Whole) {
      return "all";
    }
    List<String> names = group.stream().map(i -> children.get(i).name()).toList();
    if (mode instanceof SegmentationMode.Layers) {
      Matcher first = LAYER.matcher(names.get(0));
      Matcher last = LAYER.matcher(names.get(names.size() - 1));
      if (!first.matches() || !last.matches()) {
        return "rest";
      }
      return names.size() == 1 ? "layers." + first.group(1) : "layers." + first.group(1) + "-" + last.group(1);
    }
    return commonPrefix(names);
  }

  /** The dotted prefix shared by every name ({@code encoder.embed, encoder.layers.0} give {@code encoder}). */
  private static String commonPrefix(List<String> names) {
    String[] first = names.get(0).split("\\.");
    int shared = first.length;
    for (String name : names) {
      String[] parts = name.split("\\.");
      int n = 0;
      while (n < Math.min(shared, parts.length) && parts[n].equals(first[n])) {
        n++;
      }
      shared = n;
    }
    return shared == 0 ? first[0] : String.join(".", java.util.Arrays.copyOf(first, shared));
  }

  /** {@code name}, or with the first free {@code _2, _3, ...} suffix; takes the result. */
  static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = name + "_" + n;
    }
    return candidate;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
