package io.automerge.merge;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.automerge.InvalidInputException;
import io.automerge.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a recipe file: the native block recipe ({@code blocks:}) or a plain mergekit recipe
 * (top-level {@code merge_method:}, one block for every tensor). Relative paths resolve against
 * the recipe's directory. Every error names the file and the field.
 */
public final class RecipeParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> NATIVE_KEYS = Set.of("base_model", "models", "seed", "dtype", "compute_dtype",
      "tokenizer_source", "blocks");

  /** A parsed recipe and what was accepted but ignored. */
  public record Parsed(MergeRecipe recipe, List<String> warnings) {}

  private final Path file;
  private final Path dir;
  private final List<String> warnings = new ArrayList<>();

  private RecipeParser(Path file) {
    this.file = file;
    this.dir = file.toAbsolutePath().normalize().getParent();
  }

  public static Parsed parse(Path file) {
    RecipeParser parser = new RecipeParser(file);
    try {
      return new Parsed(parser.parseTree(parser.read()), List.copyOf(parser.warnings));
    } catch (InvalidInputException e) {
      if (e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new InvalidInputException(file + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Object> read() {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("no such recipe file");
    }
    Object tree;
    try {
      tree = YAML.readValue(file.toFile(), Object.class);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String problem = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
      throw new InvalidInputException("malformed YAML" + where + ": " + problem);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read: " + e.getMessage());
    }
    if (!(tree instanceof Map<?, ?>)) {
      throw new InvalidInputException("expected a mapping with merge_method or blocks at the top");
    }
    return stringKeys(tree, "(top level)");
  }

  private MergeRecipe parseTree(Map<String, Object> root) {
    if (root.containsKey("blocks")) {
      return parseNative(root);
    }
    if (root.containsKey("merge_method")) {
      return MergekitRecipe.parse(this, root, warnings, file.toString());
    }
    throw new InvalidInputException("neither blocks (native recipe) nor merge_method (mergekit recipe) given");
  }

  private MergeRecipe parseNative(Map<String, Object> root) {
    for (String key : root.keySet()) {
      if (!NATIVE_KEYS.contains(key)) {
        throw new InvalidInputException(key + ": unknown field (known: " + String.join(", ", NATIVE_KEYS) + ")");
      }
    }
    MergeRecipe.Builder builder = MergeRecipe.builder();
    if (root.get("base_model") != null) {
      builder.baseModel(path(root.get("base_model"), "base_model"));
    }
    List<?> models = list(root.get("models"), "models");
    for (int i = 0; i < models.size(); i++) {
      Object entry = models.get(i);
      if (entry instanceof Map<?, ?>) {
        entry = stringKeys(entry, "models[" + i + "]").get("model");
      }
      builder.model(path(entry, "models[" + i + "]"));
    }
    builder.seed(seed(root.get("seed")));
    if (root.get("dtype") != null) {
      builder.dtype(dtype(root.get("dtype")));
    }
    if (root.get("compute_dtype") != null) {
      builder.computeDtype(dtype(root.get("compute_dtype"), "compute_dtype"));
    }
    if (root.get("tokenizer_source") != null) {
      if (!"base".equals(root.get("tokenizer_source")) || root.get("base_model") == null) {
        throw new InvalidInputException("tokenizer_source: expected base (with a base_model), got "
            + root.get("tokenizer_source"));
      }
      builder.tokenizerSource(path(root.get("base_model"), "base_model"));
    }
    List<?> blocks = list(root.get("blocks"), "blocks");
    for (int i = 0; i < blocks.size(); i++) {
      String field = "blocks[" + i + "]";
      Map<String, Object> block = stringKeys(blocks.get(i), field);
      for (String key : block.keySet()) {
        if (!Set.of("name", "tensors", "merge_method", "parameters").contains(key)) {
          throw new InvalidInputException(field + "." + key + ": unknown field (known: name, tensors, merge_method, parameters)");
        }
      }
      String name = block.get("name") == null ? "block" + i : String.valueOf(block.get("name"));
      Object tensors = block.get("tensors");
      if (!(tensors instanceof String regex)) {
        throw new InvalidInputException(field + ".tensors: missing (a regular expression matched against tensor names)");
      }
      BlockRecipe.compile(regex, field);
      Object method = block.get("merge_method");
      if (!(method instanceof String methodName)) {
        throw new InvalidInputException(field + ".merge_method: missing (one of " + MergeMethods.names() + ")");
      }
      Map<String, Object> parameters = block.get("parameters") == null
          ? Map.of() : stringKeys(block.get("parameters"), field + ".parameters");
      builder.block(name, regex, methodName, parameters);
    }
    return builder.build();
  }

  Path path(Object value, String field) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw new InvalidInputException(field + ": expected a path to a checkpoint");
    }
    Path resolved = dir.resolve(s).normalize();
    if (!Files.exists(resolved)) {
      throw new InvalidInputException(field + ": " + resolved + " does not exist");
    }
    return resolved;
  }

  static long seed(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw new InvalidInputException("seed: expected an integer, got " + value);
  }

  static DType dtype(Object value) {
    return dtype(value, "dtype");
  }

  static DType dtype(Object value, String field) {
    String name = String.valueOf(value).toLowerCase(Locale.ROOT);
    switch (name) {
      case "f32": case "fp32": case "float32": case "float":
        return DType.F32;
      case "f16": case "fp16": case "float16": case "half":
        return DType.F16;
      case "bf16": case "bfloat16":
        return DType.BF16;
      default:
        throw new InvalidInputException(field + ": \"" + value + "\" is not supported (float32, float16 or bfloat16)");
    }
  }

  static List<?> list(Object value, String field) {
    if (value instanceof List<?> list && !list.isEmpty()) {
      return list;
    }
    throw new InvalidInputException(field + ": expected a non-empty list");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> stringKeys(Object value, String field) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new InvalidInputException(field + ": expected a mapping, got " + value);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
