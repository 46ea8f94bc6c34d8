package io.automerge.merge;

import io.automerge.InvalidInputException;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a mergekit config (top-level {@code merge_method}) as mergekit does, into a native
 * recipe. A parameter is looked up per tensor: the model's own value in its slice, then the
 * slice's, then the top level's, then the declared default -- each a scalar, a gradient over the
 * layers or filtered by tensor name ({@link ParameterSetting}). A value given for every model
 * (at slice or top level) applies to each model alike. Tensors that end up with the same
 * parameters share a block, so the written recipe lists the exact tensors of each block.
 *
 * <p>{@code slices} must cover the layers in order with the same range in every source model:
 * one merge per slice. Stacking other ranges (mergekit's passthrough frankenmerges) is refused.
 */
final class MergekitRecipe {
  private static final Set<String> KNOWN = Set.of("merge_method", "base_model", "models", "slices", "parameters",
      "dtype", "out_dtype", "seed", "tokenizer_source");
  private static final Set<String> IGNORED = Set.of("name", "chat_template", "output_dir");

  /** One source model in one slice, with the settings given for it there. */
  private record Source(Path model, int[] range, Map<String, ParameterSetting> settings) {}

  private record Slice(int[] range, List<Source> sources, Map<String, ParameterSetting> settings) {}

  private final RecipeParser parser;
  private final List<String> warnings;

  private MergekitRecipe(RecipeParser parser, List<String> warnings) {
    this.parser = parser;
    this.warnings = warnings;
  }

  static MergeRecipe parse(RecipeParser parser, Map<String, Object> root, List<String> warnings, String file) {
    return new MergekitRecipe(parser, warnings).read(root, file);
  }

  private MergeRecipe read(Map<String, Object> root, String file) {
    Object methodName = root.get("merge_method");
    MergeMethod method = MergeMethods.find(String.valueOf(methodName)).orElseThrow(() ->
        new InvalidInputException("merge_method: unknown merge method \"" + methodName
            + "\" (known: " + MergeMethods.names() + ")"));
    for (String key : root.keySet()) {
      if (key.equals("modules") || key.equals("tokenizer")) {
        throw new InvalidInputException(key + ": not supported by automerge");
      }
      if (!KNOWN.contains(key)) {
        warnings.add(file + ": " + key + ": ignored (not used by automerge)");
      }
    }
    Path base = root.get("base_model") == null ? null : parser.path(root.get("base_model"), "base_model");
    Map<String, ParameterSetting> top = settings(root.get("parameters"), "parameters");
    List<Slice> slices = slices(root);
    List<Path> models = new ArrayList<>();
    List<Integer> sourceIndex = new ArrayList<>(); // recipe model -> index among slice sources
    List<Source> first = slices.get(0).sources();
    if (method == Slerp.INSTANCE && base != null) {
      models.add(base); // mergekit's slerp runs from the base (t = 0) to the other model
      sourceIndex.add(-1);
    }
    for (int i = 0; i < first.size(); i++) {
      if (!first.get(i).model().equals(base)) {
        models.add(first.get(i).model());
        sourceIndex.add(i);
      }
    }
    if (models.isEmpty()) {
      throw new InvalidInputException("models: no model besides the base to merge");
    }
    MergeRecipe.Builder builder = MergeRecipe.builder().baseModel(base).models(models)
        .seed(RecipeParser.seed(root.get("seed")));
    DType compute = root.get("dtype") == null ? null : RecipeParser.dtype(root.get("dtype"), "dtype");
    DType out = root.get("out_dtype") == null ? compute : RecipeParser.dtype(root.get("out_dtype"), "out_dtype");
    builder.computeDtype(compute).dtype(out);
    Path reference = base != null ? base : models.get(0);
    if (root.get("tokenizer_source") != null) {
      builder.tokenizerSource(tokenizerSource(root.get("tokenizer_source"), base));
    }
    try (Checkpoint checkpoint = Checkpoint.open(reference)) {
      checkLayers(slices, checkpoint.names(), reference);
      blocks(builder, method, checkpoint.names(), slices, top, sourceIndex);
    }
    return builder.build();
  }

  private static Path tokenizerSource(Object value, Path base) {
    if (!"base".equals(value)) {
      throw new InvalidInputException("tokenizer_source: only \"base\" is supported (copies the base model's"
          + " tokenizer files), got " + value);
    }
    if (base == null) {
      throw new InvalidInputException("tokenizer_source: base needs base_model");
    }
    return base;
  }

  /** The slices, or the one slice over all layers that {@code models:} means. */
  private List<Slice> slices(Map<String, Object> root) {
    boolean hasModels = root.get("models") != null;
    boolean hasSlices = root.get("slices") != null;
    if (hasModels == hasSlices) {
      throw new InvalidInputException("give either models or slices (exactly one of them)");
    }
    if (hasModels) {
      List<?> entries = RecipeParser.list(root.get("models"), "models");
      List<Source> sources = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        sources.add(source(entries.get(i), "models[" + i + "]", false));
      }
      return List.of(new Slice(null, sources, Map.of()));
    }
    List<?> raw = RecipeParser.list(root.get("slices"), "slices");
    List<Slice> slices = new ArrayList<>();
    for (int s = 0; s < raw.size(); s++) {
      String field = "slices[" + s + "]";
      Map<String, Object> slice = RecipeParser.stringKeys(raw.get(s), field);
      for (String key : slice.keySet()) {
        if (!Set.of("sources", "parameters").contains(key)) {
          throw new InvalidInputException(field + "." + key + ": not supported (known: sources, parameters)");
        }
      }
      List<?> entries = RecipeParser.list(slice.get("sources"), field + ".sources");
      List<Source> sources = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        sources.add(source(entries.get(i), field + ".sources[" + i + "]", true));
      }
      int[] range = sources.get(0).range();
      for (int i = 1; i < sources.size(); i++) {
        if (!java.util.Arrays.equals(sources.get(i).range(), range)) {
          throw new InvalidInputException(field + ".sources[" + i + "].layer_range: " + java.util.Arrays.toString(
              sources.get(i).range()) + " differs from " + java.util.Arrays.toString(range)
              + "; every model of a slice must give the same layers (stacking other layers, mergekit's"
              + " passthrough frankenmerge, is not supported)");
        }
      }
      int expectedStart = s == 0 ? 0 : slices.get(s - 1).range()[1];
      if (range[0] != expectedStart) {
        throw new InvalidInputException(field + ".layer_range: starts at " + range[0] + ", expected " + expectedStart
            + " (slices must cover the layers in order; reordering or repeating layers, mergekit's passthrough"
            + " frankenmerge, is not supported)");
      }
      if (s > 0) {
        List<Path> want = slices.get(0).sources().stream().map(Source::model).toList();
        List<Path> got = sources.stream().map(Source::model).toList();
        if (!want.equals(got)) {
          throw new InvalidInputException(field + ".sources: lists " + got + ", slices[0] lists " + want
              + " (every slice must merge the same models in the same order)");
        }
      }
      slices.add(new Slice(range, sources, settings(slice.get("parameters"), field + ".parameters")));
    }
    return slices;
  }

  private Source source(Object entry, String field, boolean inSlice) {
    Map<String, Object> map = entry instanceof String s ? Map.of("model", s) : RecipeParser.stringKeys(entry, field);
    Set<String> known = inSlice ? Set.of("model", "layer_range", "parameters") : Set.of("model", "parameters");
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        throw new InvalidInputException(field + "." + key + ": unknown field (known: " + String.join(", ", known) + ")");
      }
    }
    int[] range = null;
    if (inSlice) {
      if (!(map.get("layer_range") instanceof List<?> r) || r.size() != 2
          || !(r.get(0) instanceof Integer a) || !(r.get(1) instanceof Integer b) || a < 0 || b <= a) {
        throw new InvalidInputException(field + ".layer_range: expected [start, end] with 0 <= start < end, got "
            + map.get("layer_range"));
      }
      range = new int[] {a, b};
    }
    return new Source(parser.path(map.get("model"), field + ".model"), range,
        settings(map.get("parameters"), field + ".parameters"));
  }

  private Map<String, ParameterSetting> settings(Object raw, String field) {
    if (raw == null) {
      return Map.of();
    }
    Map<String, ParameterSetting> out = new LinkedHashMap<>();
    RecipeParser.stringKeys(raw, field).forEach((key, value) -> {
      if (key.equals("int8_mask")) {
        warnings.add(field + ".int8_mask: ignored (masks are always exact here)");
        return;
      }
      out.put(key, ParameterSetting.parse(value, field + "." + key));
    });
    return out;
  }

  /** The slices must cover exactly the reference's layers. */
  private static void checkLayers(List<Slice> slices, List<String> names, Path reference) {
    int layers = names.stream().mapToInt(LayerPosition::layerOf).max().orElse(-1) + 1;
    Slice last = slices.get(slices.size() - 1);
    if (last.range() == null) {
      return;
    }
    if (last.range()[1] != layers) {
      throw new InvalidInputException("slices: cover layers [0, " + last.range()[1] + "), " + reference + " has "
          + layers + " (dropping or adding layers, mergekit's passthrough frankenmerge, is not supported)");
    }
  }

  private void blocks(MergeRecipe.Builder builder, MergeMethod method, List<String> names, List<Slice> slices,
      Map<String, ParameterSetting> top, List<Integer> sourceIndex) {
    int layers = Math.max(1, names.stream().mapToInt(LayerPosition::layerOf).max().orElse(-1) + 1);
    List<int[]> ranges = slices.stream().map(s -> s.range() == null ? new int[] {0, layers} : s.range()).toList();
    checkKeys(method, slices, top);
    boolean varies = top.values().stream().anyMatch(ParameterSetting::varies) || slices.size() > 1
        || slices.stream().anyMatch(s -> s.settings().values().stream().anyMatch(ParameterSetting::varies)
            || s.sources().stream().anyMatch(src -> src.settings().values().stream().anyMatch(ParameterSetting::varies)));
    Map<ResolvedParams, List<String>> groups = new LinkedHashMap<>();
    for (String name : varies ? names : List.of(names.isEmpty() ? "" : names.get(0))) {
      LayerPosition position = LayerPosition.of(name, ranges);
      Slice slice = slices.get(position.slice());
      ResolvedParams params = resolve(method, name, position.t(), slice, top, sourceIndex);
      groups.computeIfAbsent(params, p -> new ArrayList<>()).add(name);
    }
    if (groups.size() == 1 || !varies) {
      builder.block(new BlockRecipe("all", ".*", method, groups.keySet().iterator().next()));
      return;
    }
    int g = 0;
    for (Map.Entry<ResolvedParams, List<String>> group : groups.entrySet()) {
      StringBuilder regex = new StringBuilder("^(?:");
      for (int i = 0; i < group.getValue().size(); i++) {
        regex.append(i == 0 ? "" : "|").append(Pattern.quote(group.getValue().get(i)));
      }
      builder.block(new BlockRecipe("mergekit-" + g++, regex.append(")$").toString(), method, group.getKey()));
    }
  }

  private static void checkKeys(MergeMethod method, List<Slice> slices, Map<String, ParameterSetting> top) {
    String known = String.join(", ", method.parameters().stream().map(ParameterSpec::name).toList());
    top.keySet().forEach(key -> requireDeclared(method, key, "parameters." + key, known));
    for (int s = 0; s < slices.size(); s++) {
      Slice slice = slices.get(s);
      String at = slice.range() == null ? "" : "slices[" + s + "].";
      slice.settings().keySet().forEach(key -> requireDeclared(method, key, at + "parameters." + key, known));
      for (int i = 0; i < slice.sources().size(); i++) {
        for (String key : slice.sources().get(i).settings().keySet()) {
          String field = (slice.range() == null ? "models[" + i + "]" : at + "sources[" + i + "]") + ".parameters." + key;
          ParameterSpec spec = method.parameter(key);
          if (spec == null || !spec.perModel()) {
            throw new InvalidInputException(field + ": not a per-model parameter of " + method.name()
                + (spec == null ? " (known: " + known + ")" : ""));
          }
        }
      }
    }
  }

  private static void requireDeclared(MergeMethod method, String key, String field, String known) {
    if (method.parameter(key) == null) {
      throw new InvalidInputException(field + ": unknown parameter for " + method.name() + " (known: " + known + ")");
    }
  }

  private static ResolvedParams resolve(MergeMethod method, String tensor, double t, Slice slice,
      Map<String, ParameterSetting> top, List<Integer> sourceIndex) {
    Map<String, Object> global = new LinkedHashMap<>();
    Map<String, List<Double>> perModel = new LinkedHashMap<>();
    String field = "parameters (tensor " + tensor + ")";
    for (ParameterSpec spec : method.parameters()) {
      if (!spec.perModel()) {
        Object value = lookup(spec.name(), tensor, t, null, slice, top);
        if (value != null) {
          global.put(spec.name(), value);
        }
        continue;
      }
      List<Double> values = new ArrayList<>();
      for (int index : sourceIndex) {
        Source source = index < 0 ? null : slice.sources().get(index);
        Object value = lookup(spec.name(), tensor, t, source, slice, top);
        values.add(value == null ? null : ParameterResolver.number(value, field + "." + spec.name()));
      }
      perModel.put(spec.name(), values);
    }
    return ParameterResolver.resolve(method, global, perModel, sourceIndex.size(), field);
  }

  private static Object lookup(String name, String tensor, double t, Source source, Slice slice,
      Map<String, ParameterSetting> top) {
    for (Map<String, ParameterSetting> level : java.util.Arrays.asList(
        source == null ? null : source.settings(), slice.settings(), top)) {
      if (level != null && level.containsKey(name)) {
        Object value = level.get(name).at(tensor, t);
        if (value != null) {
          return value;
        }
      }
    }
    return null;
  }
}
